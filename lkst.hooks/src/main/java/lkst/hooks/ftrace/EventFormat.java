package lkst.hooks.ftrace;

import java.util.List;
import lkst.api.Field;

/**
 * One tracepoint's record layout as its {@code format} file gives it.
 *
 * @param system       subsystem ("sched")
 * @param name         event name ("sched_switch")
 * @param id           the kernel's event type ID (the record's common_type)
 * @param fields       the event's own fields, at their kernel offsets (the common_* header fields left out)
 * @param pidOffset    offset of common_pid inside the record
 * @param printFmt     the print fmt line, for reference
 */
public record EventFormat(String system, String name, int id, List<Field> fields, int pidOffset, String printFmt) {
    public EventFormat {
        fields = List.copyOf(fields);
    }

    /** "subsystem:name", the tracepoint's name in LKST/J's catalog. */
    public String tracepoint() { return system + ":" + name; }
}

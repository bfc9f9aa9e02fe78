package lkst.ship;

/**
 * What a shipper has done: {@code records} acknowledged by the topic ({@code seconds} from the first message sent to the
 * last acknowledged), {@code bytes} of messages acknowledged, {@code behind} bytes written by the logger and
 * not yet shipped (on disk, to be shipped), {@code lostRecords}/{@code lostSegments} deleted by the logger before they
 * were shipped, {@code error} the last problem (the broker unreachable …) or null.
 */
public record ShipStatus(boolean running, String target, String host, String trace, String dir, long records, double seconds, long bytes,
                         long behind, long lostRecords, long lostSegments, int metaVersion, boolean done, String error) {
    /** One line for lkst:status and lkst:ship. */
    public String line() {
        return (running ? "shipping" : done ? "shipped" : "stopped") + " " + dir + " to " + target + " as " + host + "/" + trace
                + ": " + records + " records acknowledged in " + String.format(java.util.Locale.ROOT, "%.3f", seconds) + " s, " + bytes + " bytes sent, " + behind + " bytes behind on disk, lost "
                + lostRecords + " records" + (lostSegments > 0 ? " (" + lostSegments + " segments deleted before shipping)" : "")
                + ", metadata version " + metaVersion + (error != null ? "; " + error : "");
    }
}

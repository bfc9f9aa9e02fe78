package lkst.bench;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JDK Flight Recorder counterpart of the BENCH hook point: the same three long fields, no stack trace. */
@Name("lkst.bench.Bench")
@Label("LKST/J benchmark event")
@Category("LKST/J")
@StackTrace(false)
public class JfrBenchEvent extends jdk.jfr.Event {
    @Label("a")
    public long a;
    @Label("b")
    public long b;
    @Label("c")
    public long c;
}

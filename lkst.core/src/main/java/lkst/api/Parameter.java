package lkst.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A typed control parameter of a handler (LKST's control functions: the pid filter's {@code t_pid}).
 * Text is parsed and validated before the value changes: a bad value throws and the old value stays.
 */
public final class Parameter {
    /** The types a parameter may have. */
    public enum Type { INT, LONG, BOOLEAN, STRING, INT_SET }

    private final String name;
    private final Type type;
    private final String description;
    private final Supplier<Object> getter;
    private final Consumer<Object> setter;
    private final Predicate<Object> valid;
    private final String rule;

    private Parameter(String name, Type type, String description, Supplier<Object> getter, Consumer<Object> setter,
                      Predicate<Object> valid, String rule) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.description = description;
        this.getter = getter;
        this.setter = setter;
        this.valid = valid;
        this.rule = rule;
    }

    /** A parameter whose value is checked by {@code valid} (described by {@code rule} in errors) before it is set. */
    @SuppressWarnings("unchecked")
    public static <T> Parameter of(String name, Type type, String description, Supplier<T> getter, Consumer<T> setter,
                                   Predicate<T> valid, String rule) {
        return new Parameter(name, type, description, (Supplier<Object>) getter, v -> setter.accept((T) v),
                v -> valid.test((T) v), rule);
    }

    public static <T> Parameter of(String name, Type type, String description, Supplier<T> getter, Consumer<T> setter) {
        return of(name, type, description, getter, setter, v -> true, "");
    }

    public String name() { return name; }
    public Type type() { return type; }
    public String description() { return description; }
    public Object value() { return getter.get(); }

    /** Parses {@code text} for this parameter's type, validates it and sets it; throws with one clear message. */
    public void set(String text) {
        Object v = parse(text);
        if (!valid.test(v)) {
            throw new IllegalArgumentException("bad value '" + text + "' for " + name + ": " + rule);
        }
        setter.accept(v);
    }

    /** Sets an already typed value (from Configuration Admin), converting and validating as {@link #set(String)}. */
    public void setValue(Object value) {
        if (value instanceof String s) { set(s); return; }
        if (value instanceof int[] a) { set(joined(Arrays.stream(a).boxed().toArray())); return; }
        if (value instanceof Object[] a) { set(joined(a)); return; }
        if (value instanceof Iterable<?> it) {
            StringBuilder b = new StringBuilder();
            for (Object o : it) b.append(b.length() == 0 ? "" : ",").append(o);
            set(b.toString());
            return;
        }
        set(String.valueOf(value));
    }

    private static String joined(Object[] a) {
        StringBuilder b = new StringBuilder();
        for (Object o : a) b.append(b.length() == 0 ? "" : ",").append(o);
        return b.toString();
    }

    private Object parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            switch (type) {
                case INT: return Integer.decode(t);
                case LONG: return Long.decode(t);
                case BOOLEAN:
                    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("on")) return Boolean.TRUE;
                    if (t.equalsIgnoreCase("false") || t.equalsIgnoreCase("off")) return Boolean.FALSE;
                    throw new IllegalArgumentException("bad value '" + text + "' for " + name + ": expected true or false");
                case STRING: return t;
                case INT_SET:
                    Set<Integer> set = new TreeSet<>();
                    if (!t.isEmpty() && !t.equals("-")) {
                        for (String part : t.split("[,\\s]+")) set.add(Integer.decode(part));
                    }
                    return Collections.unmodifiableSet(set);
                default: throw new AssertionError(type);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + text + "' for " + name + ": expected "
                    + (type == Type.INT_SET ? "comma-separated integers" : type.name().toLowerCase()));
        }
    }

    @Override
    public String toString() { return name + "=" + value(); }
}

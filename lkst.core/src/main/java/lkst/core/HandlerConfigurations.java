package lkst.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Handler parameters in Configuration Admin: PID {@code lkst.handler.NAME} (or {@code lkst.handler.ID}), from a
 * {@code deploy/*.cfg} through FileInstall or saved by {@code lkst:ctl}.
 *
 * <p>FileInstall reads a file name with a hyphen, {@code lkst.handler.pid-filter.cfg}, as factory configuration
 * {@code lkst.handler.pid} named {@code filter}, whose PID is {@code lkst.handler.pid~filter}: that PID names handler
 * {@code pid-filter}. Handler names keep their hyphens, so a file is named as {@code lkst:ctl} names the handler.
 *
 * <p>A handler's parameters are its configurations merged: the one {@code lkst:ctl} saved first, then each file's,
 * so a file wins. {@code lkst:ctl} writes into the file's configuration when there is one (never into the file):
 * its value lasts until the file changes or LKST/J starts again and FileInstall reads the file. When a file goes, its
 * configuration goes, and the parameters only it set go back to their defaults.
 */
final class HandlerConfigurations {
    static final String PREFIX = "lkst.handler.";
    /** FileInstall's mark on the configurations it made: the file's URI */
    static final String FILENAME = "felix.fileinstall.filename";

    private final ConfigurationAdmin cm;
    private final Engine engine;

    HandlerConfigurations(ConfigurationAdmin cm, Engine engine) {
        this.cm = cm;
        this.engine = engine;
    }

    /** The handler (name or ID) that configuration {@code pid} configures, or null when it configures none. */
    static String handler(String pid) {
        if (!pid.startsWith(PREFIX) || pid.length() == PREFIX.length()) return null;
        return pid.substring(PREFIX.length()).replace('~', '-');
    }

    /** Applies every handler's configuration (at start). */
    void applyAll() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Configuration c : all()) names.add(handler(c.getPid()));
        for (String h : names) apply(h);
    }

    /** Applies the configuration of {@code handler} as it is now (after a configuration was updated or deleted). */
    void apply(String handler) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Configuration c : of(handler)) params.putAll(parameters(c));
        engine.configure(handler, params);
    }

    /** Saves {@code lkst:ctl}'s parameters of {@code handler}: into its file's configuration if it has one. */
    void save(String handler, Map<String, Object> params) throws IOException {
        Configuration target = null;
        for (Configuration c : of(handler)) if (file(c) != null) target = c;
        if (target == null) target = cm.getConfiguration(PREFIX + handler, null);
        Dictionary<String, Object> old = target.getProperties();
        Hashtable<String, Object> d = new Hashtable<>();
        if (old != null && old.get(FILENAME) != null) d.put(FILENAME, old.get(FILENAME)); // still the file's
        d.putAll(params);
        target.updateIfDifferent(d);
    }

    /** One line per value refused: which file (or PID) set it and why; null when none is refused. */
    String status() {
        List<String> lines = new ArrayList<>();
        try {
            TreeSet<String> names = new TreeSet<>();
            for (Configuration c : all()) names.add(handler(c.getPid()));
            for (String h : names) {
                List<Configuration> configs = of(h);
                engine.refusedParameters(h).forEach((param, why) -> {
                    String from = null;
                    for (Configuration c : configs) {
                        if (c.getProperties() != null && c.getProperties().get(param) != null) from = source(c);
                    }
                    lines.add("refused " + (from == null ? PREFIX + h : from) + ": " + why + " (old value kept)");
                });
            }
        } catch (IOException e) {
            return "cannot read handler configurations: " + e.getMessage();
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    private String source(Configuration c) {
        Path f = file(c);
        return f != null ? f.toString() : "configuration " + c.getPid();
    }

    /** The configurations of {@code handler}: the one without a file first, then the files' by PID. */
    private List<Configuration> of(String handler) throws IOException {
        List<Configuration> out = new ArrayList<>();
        for (Configuration c : all()) if (handler.equals(handler(c.getPid()))) out.add(c);
        out.sort(Comparator.comparing((Configuration c) -> file(c) != null).thenComparing(Configuration::getPid));
        return out;
    }

    private List<Configuration> all() throws IOException {
        try {
            Configuration[] found = cm.listConfigurations("(" + Constants.SERVICE_PID + "=" + PREFIX + "*)");
            List<Configuration> out = new ArrayList<>();
            if (found != null) for (Configuration c : found) if (handler(c.getPid()) != null) out.add(c);
            return out;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static Path file(Configuration c) {
        Dictionary<String, Object> d = c.getProperties();
        Object f = d == null ? null : d.get(FILENAME);
        if (f == null) return null;
        try {
            return Path.of(URI.create(String.valueOf(f)));
        } catch (IllegalArgumentException e) {
            return Path.of(String.valueOf(f));
        }
    }

    private static Map<String, Object> parameters(Configuration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Dictionary<String, Object> d = c.getProperties();
        if (d == null) return m;
        for (Enumeration<String> e = d.keys(); e.hasMoreElements(); ) {
            String k = e.nextElement();
            if (k.startsWith("service.") || k.startsWith("felix.") || k.startsWith("component.")) continue;
            m.put(k, d.get(k));
        }
        return m;
    }
}

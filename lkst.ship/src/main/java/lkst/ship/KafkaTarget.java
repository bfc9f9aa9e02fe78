package lkst.ship;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where traces go: {@code kafka://HOST:PORT[,HOST:PORT…]/TOPIC[?NAME=VALUE&…]}. Each query parameter is a Kafka client
 * property passed through as it is (TLS, SASL, compression.type …), except {@code host}, the host name this runtime
 * ships as (default: the machine's).
 */
public record KafkaTarget(String bootstrap, String topic, String host, Map<String, String> client) {
    public static final String SCHEME = "kafka://";

    public KafkaTarget {
        client = Map.copyOf(client);
    }

    /** Parses a target; a bad one is an {@link IllegalArgumentException} with one line saying what is wrong. */
    public static KafkaTarget parse(String url) {
        String usage = " (kafka://HOST:PORT/TOPIC[?host=NAME&CLIENT.PROPERTY=VALUE…])";
        if (url == null || !url.startsWith(SCHEME)) throw new IllegalArgumentException("not a kafka:// target: '" + url + "'" + usage);
        String rest = url.substring(SCHEME.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) throw new IllegalArgumentException("no broker or no topic in '" + url + "'" + usage);
        String servers = rest.substring(0, slash);
        String topic = rest.substring(slash + 1);
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("bad topic '" + topic + "': letters, digits, '.', '_' and '-', at most 249");
        }
        for (String s : servers.split(",")) {
            if (!s.matches("[^:\\s]+:\\d{1,5}") || Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)) > 65535) {
                throw new IllegalArgumentException("bad broker address '" + s + "' in '" + url + "': HOST:PORT");
            }
        }
        Map<String, String> props = new TreeMap<>();
        String host = null;
        for (String p : query.split("&")) {
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad parameter '" + p + "' in '" + url + "': NAME=VALUE");
            String name = URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("host")) host = checkHost(value);
            else props.put(name, value);
        }
        return new KafkaTarget(servers, topic, host, props);
    }

    /** A host name as it appears in keys and in fetch's folder names: no '/', no spaces. */
    public static String checkHost(String host) {
        if (!host.matches("[A-Za-z0-9._-]{1,253}")) throw new IllegalArgumentException("bad host name '" + host + "': letters, digits, '.', '_' and '-'");
        return host;
    }

    /** The same target shipping as {@code host}. */
    public KafkaTarget withHost(String host) { return new KafkaTarget(bootstrap, topic, checkHost(host), client); }

    @Override
    public String toString() { return SCHEME + bootstrap + "/" + topic; }
}

package dev.helmsdk.core.internal.source;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * {@code NO_PROXY} matching as Go's {@code golang.org/x/net/http/httpproxy} does it (which is what
 * Helm uses): {@code *} matches everything; {@code example.com} matches the host and its
 * subdomains; {@code .example.com} only subdomains; {@code host:port} only that port; IP
 * addresses and CIDR ranges match literal IP hosts. Loopback is not bypassed implicitly, so a
 * proxy configured for tests really is used.
 */
final class NoProxy {

    private final List<String> entries;

    NoProxy(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    boolean bypass(URI target) {
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = target.getPort() >= 0 ? target.getPort() : "http".equalsIgnoreCase(target.getScheme()) ? 80 : 443;
        for (String raw : entries) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                return true;
            }
            if (e.contains("/")) {
                if (inCidr(host, e)) {
                    return true;
                }
                continue;
            }
            String entryHost = e;
            int entryPort = -1;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && e.indexOf(':') == colon && !e.startsWith("[")) {
                entryHost = e.substring(0, colon);
                try {
                    entryPort = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    continue;
                }
            }
            if (entryPort >= 0 && entryPort != port) {
                continue;
            }
            if (entryHost.startsWith("*.")) {
                entryHost = entryHost.substring(1);
            }
            if (entryHost.startsWith(".")) {
                if (host.endsWith(entryHost)) {
                    return true;
                }
            } else if (host.equals(entryHost) || host.endsWith("." + entryHost)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(String host, String cidr) {
        if (!isIpLiteral(host)) {
            return false;
        }
        try {
            String[] parts = cidr.split("/", 2);
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] addr = InetAddress.getByName(host).getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (net.length != addr.length || bits < 0 || bits > net.length * 8) {
                return false;
            }
            int shift = net.length * 8 - bits;
            return new BigInteger(1, net).shiftRight(shift).equals(new BigInteger(1, addr).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** Literal IPv4 or IPv6 only: never resolve names here (no DNS lookups while matching). */
    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}

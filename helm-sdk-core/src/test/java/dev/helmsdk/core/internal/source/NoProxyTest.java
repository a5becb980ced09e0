package dev.helmsdk.core.internal.source;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** NO_PROXY matching, case by case as Go's httpproxy (which Helm uses) decides them. */
class NoProxyTest {

    @ParameterizedTest(name = "{0} with NO_PROXY={1}: bypass={2}")
    @CsvSource(delimiter = '|', value = {
            "https://charts.corp.com/x     | corp.com                | true",
            "https://corp.com/x            | corp.com                | true",
            "https://notcorp.com/x         | corp.com                | false",
            "https://corp.com/x            | .corp.com               | false",
            "https://a.corp.com/x          | .corp.com               | true",
            "https://a.corp.com/x          | *.corp.com              | true",
            "https://anything.example/x    | *                       | true",
            "https://10.1.2.3:8443/x       | 10.0.0.0/8              | true",
            "https://11.1.2.3/x            | 10.0.0.0/8              | false",
            "https://127.0.0.1:5000/x      | 127.0.0.1               | true",
            "https://127.0.0.1:5000/x      | 127.0.0.1:5001          | false",
            "https://127.0.0.1:5000/x      | 127.0.0.1:5000          | true",
            "https://registry.corp:443/x   | registry.corp:443       | true",
            "https://registry.corp/x       | registry.corp:443       | true",
            "http://registry.corp/x        | registry.corp:443       | false",
            "https://Charts.Corp.com/x     | CORP.com                | true",
            "https://charts.corp.com/x     | other.com, corp.com     | true",
            "https://[::1]:5000/x          | ::1                     | true",
            "https://localhost/x           | ''                      | false",
    })
    void matches(String url, String entries, boolean bypass) {
        NoProxy np = new NoProxy(Arrays.asList(entries.split(",")));
        assertEquals(bypass, np.bypass(URI.create(url)));
    }
}

package dev.helmsdk.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeoutsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Timeouts t = Timeouts.ofDefaults();
        assertEquals(Duration.ofMinutes(5), t.start());
        assertEquals(Duration.ofMinutes(10), t.readiness());
        assertEquals(Duration.ofMinutes(5), t.cleanup());
        assertEquals(Duration.ofMinutes(15), t.total(true));
        assertEquals(Duration.ofMinutes(5), t.total(false));
    }

    @Test
    void zeroNegativeAndAbsurdValuesAreRejectedWithTheValue() {
        InvalidRequestException zero = assertThrows(InvalidRequestException.class, () -> Timeouts.ofDefaults().withStart(Duration.ZERO));
        assertTrue(zero.getMessage().contains("start") && zero.getMessage().contains("PT0S"), zero.getMessage());
        InvalidRequestException neg = assertThrows(InvalidRequestException.class, () -> Timeouts.ofDefaults().withReadiness(Duration.ofSeconds(-3)));
        assertTrue(neg.getMessage().contains("readiness") && neg.getMessage().contains("PT-3S"), neg.getMessage());
        InvalidRequestException huge = assertThrows(InvalidRequestException.class, () -> Timeouts.ofDefaults().withCleanup(Duration.ofDays(400)));
        assertTrue(huge.getMessage().contains("cleanup") && huge.getMessage().contains("PT9600H"), huge.getMessage());
        NullPointerException none = assertThrows(NullPointerException.class, () -> new Timeouts(null, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals("start", none.getMessage());
        assertEquals(Operation.CONFIGURE, zero.operation());
    }
}

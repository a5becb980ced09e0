package dev.helmsdk.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** What {@link ServiceLoader} finds of one plug-in type (interceptors, secret resolvers). */
public final class Services {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private Services() {
    }

    /**
     * The implementations of {@code type} found through {@code loader}. One that cannot be loaded is
     * skipped with a warning naming it, so one broken jar does not stop the others.
     *
     * @param what the plug-in's name in the warning ("an operation interceptor")
     */
    public static <T> List<T> discover(Class<T> type, ClassLoader loader, String what) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return found;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping {} that cannot be loaded: {}", what, e.getMessage());
            }
        }
    }
}

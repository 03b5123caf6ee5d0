package org.bobbob.cdi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Sets system properties for one test and restores the previous values after it. */
final class SystemProps implements AfterEachCallback {
    private final Map<String, String> previous = new LinkedHashMap<>();

    /** Sets {@code key} (null clears it) until the end of the test. */
    SystemProps set(String key, String value) {
        if (!previous.containsKey(key)) {
            previous.put(key, System.getProperty(key));
        }
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
        return this;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        previous.clear();
    }
}

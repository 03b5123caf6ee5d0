package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.NamingException;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import org.junit.jupiter.api.Test;

/** Every error of this module starts with its {@link ErrorCode}; its exception returns it from {@code code()}. */
class CdiErrorsTest {
    /** Store {@code orders} is an embedded store; nothing else is configured. */
    private static final ConfigLookup CONFIG = new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return key.equals(StoreSettings.urlKey("orders"))
                    ? Optional.of("bobbob:multi:orders.bob")
                    : Optional.empty();
        }

        @Override
        public String describe() {
            return "nowhere";
        }
    };

    @Test
    void configurationErrorsReturnTheirCode() {
        StoreSettings settings = StoreSettings.resolve("orders", CONFIG);
        Map<ErrorCode, StoreConfigurationException> made = Map.of(
                ErrorCode.CDI_ADAPTER_MISSING, CdiErrors.adapterMissing(settings),
                ErrorCode.CDI_BAD_NAME, CdiErrors.badName("bad name"),
                ErrorCode.CDI_NOT_CONFIGURED, CdiErrors.notConfigured("orders", CONFIG),
                ErrorCode.CDI_CONFLICT, CdiErrors.conflict("orders", CONFIG),
                ErrorCode.CDI_BLANK, CdiErrors.blank("bobbob.store.orders.url", CONFIG),
                ErrorCode.CDI_NOT_A_URL, CdiErrors.notAUrl("bobbob.store.orders.url", "x", CONFIG));
        made.forEach((code, e) -> {
            assertEquals(code, e.code());
            assertTrue(e.getMessage().startsWith(code.prefix()), e.getMessage());
        });
    }

    @Test
    void firstUseErrorsReturnTheirCode() {
        StoreSettings settings = StoreSettings.resolve("orders", CONFIG);
        List<StoreException> made = List.of(
                CdiErrors.lookupFailed(settings, new NamingException("none")),
                CdiErrors.notAFactory(settings, "a string"),
                CdiErrors.noConnection(settings, new Exception("x")),
                CdiErrors.notConcurrent(settings));
        List<ErrorCode> codes = List.of(
                ErrorCode.CDI_LOOKUP_FAILED,
                ErrorCode.CDI_NOT_A_FACTORY,
                ErrorCode.CDI_NO_CONNECTION,
                ErrorCode.CDI_NOT_CONCURRENT);
        for (int i = 0; i < made.size(); i++) {
            assertEquals(codes.get(i), made.get(i).code());
            assertTrue(
                    made.get(i).getMessage().startsWith(codes.get(i).prefix()),
                    made.get(i).getMessage());
        }
    }
}

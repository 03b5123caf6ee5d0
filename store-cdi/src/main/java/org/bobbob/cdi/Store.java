package org.bobbob.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Picks a named store: {@code @Inject @Store("orders") Storer orders;}.
 *
 * <p>The name selects the configuration keys {@code bobbob.store.<name>.jndi} (a
 * {@code StoreConnectionFactory} in JNDI, in an application server) or
 * {@code bobbob.store.<name>.url} (an embedded store, e.g. in Weld SE); see {@code docs/CDI.md}.
 * A plain {@code @Inject Storer} is the store named {@value #DEFAULT}, as is {@code @Store} with
 * no value.
 *
 * <p>Names are letters, digits, {@code '_'} and {@code '-'}. The value is {@link Nonbinding}: one
 * bean serves every name, so programmatic lookup works too:
 * <pre>{@code
 * @Inject @Any Instance<Storer> stores;
 * Storer archive = stores.select(Store.Literal.of("archive")).get();
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD})
public @interface Store {

    /** The name of the store a plain {@code @Inject Storer} gets. */
    String DEFAULT = "default";

    /** The store's name: the {@code <name>} of its configuration keys. */
    @Nonbinding
    String value() default DEFAULT;

    /** {@code @Store(name)} as a value, for {@code Instance.select} and {@code CDI.current().select}. */
    final class Literal extends AnnotationLiteral<Store> implements Store {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /** {@code @Store(name)}. */
        public static Literal of(String name) {
            return new Literal(Objects.requireNonNull(name, "name"));
        }

        @Override
        public String value() {
            return value;
        }
    }
}

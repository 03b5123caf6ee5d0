package org.bobbob.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test run once on each bare store: {@link TestStores#BASIC} and {@link TestStores#MULTI}. Test
 * code only, so the warning that this public type carries JUnit's annotations, which the store's
 * module does not export, is suppressed.
 */
@SuppressWarnings("exports")
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@EnumSource(
        value = TestStores.class,
        names = {"BASIC", "MULTI"})
public @interface OnBareStores {}

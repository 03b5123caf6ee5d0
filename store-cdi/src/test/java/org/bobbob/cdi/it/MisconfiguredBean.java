package org.bobbob.cdi.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bobbob.cdi.Store;
import org.bobbob.store.Storer;

/** Injects a store no configuration names: its deployment must fail naming the key. */
@ApplicationScoped
public class MisconfiguredBean {
    @Inject
    @Store("missing")
    Storer missing;
}

package io.processhub.ignite.service;

import io.processhub.ignite.registry.RegistryKeys;

import io.processhub.ChildSpec;

/** What is wrong with a spec on its face, before any node sees it. */
public final class SpecCheck {
    private SpecCheck() {
    }

    /** A description of the problem, or null if the spec looks right. */
    public static String problem(ChildSpec spec) {
        if (spec == null)
            return "the child spec is null";
        if (spec.id() == null || spec.id().isBlank())
            return "child id must not be null or blank";
        if (spec.id().indexOf(RegistryKeys.SEPARATOR) >= 0)
            return "child id must not contain the NUL character";
        if (spec.className() == null || spec.className().isBlank())
            return "child " + spec.id() + " names no class";
        return null;
    }
}

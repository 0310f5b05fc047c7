package io.processhub;

/** Which children {@link ProcessHub#whichChildren(Scope)} lists. */
public enum Scope {
    /** Children running on this node. */
    LOCAL,
    /** Every child of the hub, wherever it runs. */
    GLOBAL
}

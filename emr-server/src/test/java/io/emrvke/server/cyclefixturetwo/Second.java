package io.emrvke.server.cyclefixturetwo;

import io.emrvke.server.cyclefixtureone.First;

/** The other half of a known package cycle, in test sources only. */
public final class Second {
    public First back() {
        return new First();
    }
}

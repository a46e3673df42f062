package io.emrvke.server.cyclefixtureone;

import io.emrvke.server.cyclefixturetwo.Second;

/** Half of a known cycle between two top-level packages, in test sources only (see PackagesFollowTheLayeringTest). */
public final class First {
    public Second next() {
        return new Second();
    }
}

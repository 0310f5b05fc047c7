package io.processhub.ignite.supervision;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A supervisor on a direct rig whose checkpoint store a test answers by hand: fresh for each test. */
abstract class CheckpointRigTest {
    final FakeCheckpointStore store = new FakeCheckpointStore();
    SupervisorRig rig;

    @BeforeEach
    void startRig() {
        TestChild.reset();
        rig = new SupervisorRig(3, 1_000, 100, store);
    }

    @AfterEach
    void closeRig() {
        rig.close();
    }
}

package io.processhub.tests;

import io.processhub.HubConfiguration;
import io.processhub.InvalidConfigurationException;
import io.processhub.ProcessHubPluginProvider;
import io.processhub.RejoinConfiguration;
import io.processhub.examples.LocalNode;
import java.util.function.Consumer;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgnitionEx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rejoin settings: off by default, read from Spring XML, and a node with settings that cannot work refuses to start. */
class RejoinConfigurationTest {
    @AfterEach
    void noNodeLeftRunning() {
        assertTrue(Ignition.allGrids().isEmpty(), "a node with a bad configuration must not be running");
    }

    /** Starts a node whose rejoin settings {@code change} sets; asserts it is refused with an InvalidConfigurationException. */
    private static void assertRefused(String expectedInMessage, Consumer<IgniteConfiguration> change) {
        IgniteConfiguration cfg = LocalNode.config("bad", TestCluster.PORT_BASE, new HubConfiguration("orders"));
        change.accept(cfg);
        Exception e = assertThrows(Exception.class, () -> Ignition.start(cfg));
        InvalidConfigurationException invalid = null;
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
            if (t instanceof InvalidConfigurationException)
                invalid = (InvalidConfigurationException)t;
        }
        assertNotNull(invalid, "expected an InvalidConfigurationException among the causes:\n" + messages);
        assertTrue(invalid.getMessage().contains(expectedInMessage),
            "expected the error to name '" + expectedInMessage + "' but got: " + invalid.getMessage());
    }

    private static Consumer<IgniteConfiguration> rejoin(RejoinConfiguration rejoin) {
        return cfg -> provider(cfg).setRejoin(rejoin);
    }

    private static ProcessHubPluginProvider provider(IgniteConfiguration cfg) {
        return (ProcessHubPluginProvider)cfg.getPluginProviders()[0];
    }

    private static RejoinConfiguration enabled() {
        return new RejoinConfiguration().setEnabled(true).setConfigurationFactory(() -> LocalNode.config("bad", TestCluster.PORT_BASE));
    }

    @Test
    void offByDefault() {
        assertFalse(new ProcessHubPluginProvider().getRejoin().isEnabled());
    }

    @Test
    void impossibleIntervals() {
        assertRefused("rejoin.probeIntervalMillis must be positive, was 0", rejoin(enabled().setProbeIntervalMillis(0)));
        assertRefused("rejoin.forgetFailedAfterMillis must be positive, was -1", rejoin(enabled().setForgetFailedAfterMillis(-1)));
        assertRefused("ProcessHubPluginProvider.rejoin must not be null", rejoin(null));
    }

    @Test
    void noWayToMakeAFreshConfiguration() {
        assertRefused("rejoin needs exactly one of configurationFactory and springConfigPath", rejoin(new RejoinConfiguration().setEnabled(true)));
        assertRefused("both were set", rejoin(enabled().setSpringConfigPath("config/node.xml")));
    }

    @Test
    void noConsistentId() {
        assertRefused("rejoin needs IgniteConfiguration.consistentId", rejoin(enabled()).andThen(cfg -> cfg.setConsistentId(null)));
    }

    @Test
    void springXml() throws Exception {
        IgniteConfiguration cfg = IgnitionEx.loadConfiguration(getClass().getResource("/rejoin-node.xml")).get1();
        RejoinConfiguration rejoin = provider(cfg).getRejoin();
        assertTrue(rejoin.isEnabled());
        assertEquals(2000, rejoin.getProbeIntervalMillis());
        assertEquals(30_000, rejoin.getForgetFailedAfterMillis(), "the default");
        assertEquals("config/rejoin-node.xml", rejoin.getSpringConfigPath());
    }
}

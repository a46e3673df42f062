package io.emrvke.server;

import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialAdminSocket;
import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.account.RootCredential;
import io.emrvke.server.api.ApplicationActions;
import io.emrvke.server.api.CancelOperationAction;
import io.emrvke.server.api.CatalogActions;
import io.emrvke.server.api.ChartCheck;
import io.emrvke.server.api.ClusterLifecycleActions;
import io.emrvke.server.api.ClusterReadActions;
import io.emrvke.server.api.ComponentLookup;
import io.emrvke.server.api.ConfigReadActions;
import io.emrvke.server.api.InstanceActions;
import io.emrvke.server.api.InstanceReadActions;
import io.emrvke.server.api.OperationReadActions;
import io.emrvke.server.api.RunApplicationAction;
import io.emrvke.server.application.ApplicationRepository;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceStepExecutors;
import io.emrvke.server.application.LifecycleHooks;
import io.emrvke.server.application.LifecycleSteps;
import io.emrvke.server.application.RunActionSteps;
import io.emrvke.server.application.StepTargets;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.GatewayConfig;
import io.emrvke.server.gateway.GatewayServer;
import io.emrvke.server.gateway.Readiness;
import io.emrvke.server.gateway.StoredReplayRecords;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.engine.EngineConfig;
import io.emrvke.server.operation.engine.OperationEngine;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.ChartRepository;
import io.emrvke.server.runtime.TargetHealth;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.KeySource;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole control plane of one server process, started in dependency order (store, catalog,
 * sandbox, targets, engine, gateway) and stopped in reverse. Used by {@code serve} and by tests
 * that need a real server in-process.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final int TIGHTENED_SHOWN = 20;

    private final ServerConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();
    private Database database;
    private CredentialRepository credentials;
    private Catalog catalog;
    private Sandbox sandbox;
    private ChartRenderer renderer;
    private TargetRegistry targets;
    private OperationEngine engine;
    private GatewayServer gateway;
    private Credential newRootCredential;
    private List<String> actionNames = List.of();

    private ControlPlane(ServerConfig config) {
        this.config = config;
    }

    /** Starts everything; on a failure part-way, stops what had started and rethrows. */
    public static ControlPlane start(ServerConfig config) throws IOException {
        ControlPlane plane = new ControlPlane(config);
        try {
            plane.startAll();
            return plane;
        } catch (IOException | RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        makeDataDirPrivate();
        openStore();
        loadCatalog();
        startSandbox();
        registerTargets();
        buildEngine();
        // bind the port before the engine claims work: a server that cannot serve (port taken) must not
        // take operations over from others only to drop them again
        startGateway();
        startEngine();
    }

    /**
     * The data dir and everything in it owner-only (0700 folders, 0600 files): what an older version
     * or another tool left wider is tightened now, and said so.
     */
    private void makeDataDirPrivate() {
        PrivateFiles.createDirectories(config.dataDir());
        List<PrivateFiles.Tightened> tightened = PrivateFiles.tighten(config.dataDir());
        if (!tightened.isEmpty()) {
            List<String> shown = tightened.stream().limit(TIGHTENED_SHOWN)
                    .map(t -> t.relativeTo(config.dataDir())).toList();
            log.info("Made {} paths of the data dir {} owner-only (folders 0700, files 0600): {}{}", tightened.size(),
                    config.dataDir(), String.join(", ", shown),
                    tightened.size() > shown.size() ? " and " + (tightened.size() - shown.size()) + " more" : "");
        }
    }

    private void openStore() {
        database = remember(Database.open(config.effectiveDatabaseUrl(),
                KeySource.of(config.dataDir(), System.getenv())));
        credentials = new CredentialRepository(database.jdbi());
        newRootCredential = RootCredential.bootstrap(credentials, config.dataDir(), System.getenv()).orElse(null);
        CredentialAdminSocket.open(config.dataDir(), credentials).ifPresent(this::remember);
    }

    private void loadCatalog() {
        catalog = config.catalogDir() == null ? Catalog.loadBundled() : Catalog.loadBundledPlus(config.catalogDir());
    }

    private void startSandbox() throws IOException {
        if (!config.sandbox()) {
            return;
        }
        sandbox = remember(Sandbox.start(new SandboxConfig(SandboxConfig.DEFAULT_BIND, config.sandboxPort(),
                config.dataDir(), config.sandboxPodReadyMs(), SandboxConfig.DEFAULT_SNAPSHOT_DELAY_MS)));
        sandbox.writeKubeconfig(sandboxKubeconfig());
    }

    private void registerTargets() {
        ChartRepository charts = ChartRepository.extract(config.dataDir(), extraChartsDirs());
        renderer = remember(new ChartRenderer(charts, config.registryPrefix()));
        targets = remember(new TargetRegistry(renderer));
        if (sandbox != null) {
            // through the kubeconfig it wrote, as any client of the sandbox: its token is there
            targets.register(TargetRegistry.SANDBOX, sandboxKubeconfig(), null);
        }
        targets.registerAll(config.kubeconfigTargets());
    }

    /** --charts-dir, then the charts/ folder a --catalog-dir brings for the components it adds. */
    private List<Path> extraChartsDirs() {
        List<Path> dirs = new ArrayList<>();
        if (config.chartsDir() != null) {
            dirs.add(config.chartsDir());
        }
        dirs.addAll(catalog.chartsDirectories());
        return dirs;
    }

    private void buildEngine() {
        OperationEngine.Builder builder = OperationEngine.builder(database)
                .config(EngineConfig.withLease(config.operationLease()));
        new LifecycleSteps(database.jdbi(), catalog, targets, config.nodePoolLabel()).register(builder);
        new LifecycleHooks(database.jdbi()).register(builder);
        new InstanceStepExecutors(database.jdbi(), new StepTargets(database.jdbi(), catalog, targets,
                config.nodePoolLabel())).register(builder);
        remember(new RunActionSteps(database.jdbi(), catalog, targets, config.nodePoolLabel())).register(builder);
        engine = remember(builder.build());
    }

    private void startEngine() {
        engine.start();
    }

    private void startGateway() {
        GatewayConfig gatewayConfig = new GatewayConfig(config.bind(), config.port(), config.region(),
                config.maxBodyBytes(), config.clockSkew(), config.rateLimitPerSecond(), config.rateLimitBurst(),
                GatewayConfig.DEFAULT_DRAIN_TIMEOUT, Clock.systemUTC(), config.clientLimits());
        List<ActionSpec> actions = actions();
        actionNames = actions.stream().map(ActionSpec::name).toList();
        gateway = new GatewayServer(gatewayConfig, credentials, actions, readiness(),
                new StoredReplayRecords(database.jdbi()));
        gateway.start();
        started.add(gateway::stop);
    }

    /** Every action this server answers. */
    private List<ActionSpec> actions() {
        ClusterRepository clusters = new ClusterRepository(database.jdbi());
        OperationRepository operations = new OperationRepository(database.jdbi());
        List<ActionSpec> actions = new ArrayList<>();
        actions.addAll(new CatalogActions(catalog).specs());
        actions.addAll(new ClusterReadActions(clusters).actions());
        actions.addAll(new OperationReadActions(operations).actions());
        actions.add(new CancelOperationAction(engine).spec());
        OperationSubmitter submitter = new OperationSubmitter(database, engine);
        ChartCheck chartCheck = new ChartCheck(renderer, config.nodePoolLabel());
        actions.addAll(new ClusterLifecycleActions(database.jdbi(), catalog, targets, chartCheck, submitter).actions());
        actions.addAll(new ApplicationActions(database.jdbi(), catalog, chartCheck, submitter).actions());
        actions.addAll(instanceActions(clusters, chartCheck, submitter));
        return actions;
    }

    /** The component instance and config actions (docs/api.md#actions). */
    private List<ActionSpec> instanceActions(ClusterRepository clusters, ChartCheck chartCheck,
                                             OperationSubmitter submitter) {
        InstanceRepository instances = new InstanceRepository(database.jdbi());
        ConfigRepository configs = new ConfigRepository(database.jdbi());
        ComponentLookup lookup = new ComponentLookup(clusters, new ApplicationRepository(database.jdbi()), instances,
                catalog);
        List<ActionSpec> out = new ArrayList<>(new InstanceReadActions(lookup, instances, targets).actions());
        out.addAll(new ConfigReadActions(lookup, instances, configs).actions());
        out.addAll(new InstanceActions(lookup, instances, configs, chartCheck, submitter).actions());
        out.add(new RunApplicationAction(lookup, instances, configs, chartCheck, submitter).spec());
        return out;
    }

    private Readiness readiness() {
        Map<String, Supplier<String>> checks = new LinkedHashMap<>();
        checks.put("store", database::writeProblem);
        for (String name : targets.names()) {
            checks.put("target " + name, () -> describe(targets.reachability().get(name)));
        }
        return Readiness.of(checks);
    }

    private static String describe(TargetHealth health) {
        if (health == null) {
            return "not registered";
        }
        if (!health.reachable()) {
            return health.message() == null ? "unreachable" : health.message();
        }
        return health.rayClusterCrd() ? null : "reachable, but " + health.message();
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    public int port() {
        return gateway.port();
    }

    public String endpoint() {
        return config.bind() + ":" + gateway.port();
    }

    /** The name of every action the gateway answers, so that a test covering each can tell when one is new. */
    public List<String> actionNames() {
        return actionNames;
    }

    public ServerConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public CredentialRepository credentials() {
        return credentials;
    }

    public Catalog catalog() {
        return catalog;
    }

    public TargetRegistry targets() {
        return targets;
    }

    public OperationEngine engine() {
        return engine;
    }

    public Optional<Sandbox> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    public Path sandboxKubeconfig() {
        return config.dataDir().resolve(SandboxConfig.KUBECONFIG_FILE);
    }

    /** The root credential generated by this start, shown once; empty when it existed already. */
    public Optional<Credential> newRootCredential() {
        return Optional.ofNullable(newRootCredential);
    }

    /** Graceful: the gateway drains in-flight requests first, then the rest stops in reverse order. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
        started.clear();
    }
}

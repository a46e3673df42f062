package io.emrvke.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.emrvke.server.cyclefixtureone.First;
import io.emrvke.server.cyclefixturetwo.Second;
import io.emrvke.server.operation.layeringfixture.EngineCodeThatThrowsAnApiError;
import io.emrvke.server.operation.layeringfixture.OperationCodeThatReadsRequestParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the server's main classes: no cycles between
 * the packages under io.emrvke.server (a sub-package counts with its parent), the domain knows
 * neither the gateway nor the API layer, the gateway knows no handler or domain package, and the
 * engine, steps, catalog and store answer no wire error codes. Each rule is also shown to fail on a known
 * breach kept in test sources.
 */
class PackagesFollowTheLayeringTest {
    private static final String SERVER = "io.emrvke.server";
    /** Everything below the API layer: what the handlers drive and the pieces it is made of. */
    private static final String[] DOMAIN = {SERVER + ".account..", SERVER + ".application..", SERVER + ".catalog..",
            SERVER + ".cluster..", SERVER + ".operation..", SERVER + ".runtime..", SERVER + ".store..",
            SERVER + ".kubernetes..", SERVER + ".disclosure..", SERVER + ".logging..", SERVER + ".sandbox.."};

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching(SERVER + ".(*)..").should().beFreeOfCycles()
            .because("a package cycle makes both sides one unit that can only change together");

    static final ArchRule DOMAIN_KNOWS_NO_GATEWAY_OR_API = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage(SERVER + ".gateway..", SERVER + ".api..")
            .because("requests are read, and answered, in the API layer only");

    static final ArchRule GATEWAY_KNOWS_NO_HANDLER_OR_DOMAIN = noClasses().that().resideInAPackage(SERVER + ".gateway..")
            .should().dependOnClassesThat().resideInAnyPackage(SERVER + ".api..", SERVER + ".application..",
                    SERVER + ".catalog..", SERVER + ".cluster..", SERVER + ".operation..", SERVER + ".runtime..",
                    SERVER + ".sandbox..")
            .because("the gateway authenticates, limits and routes; the API layer registers what it routes to");

    static final ArchRule BELOW_THE_API_NO_WIRE_ERRORS = noClasses().that().resideInAnyPackage(SERVER + ".operation..",
                    SERVER + ".application..", SERVER + ".catalog..", SERVER + ".cluster..", SERVER + ".store..",
                    SERVER + ".runtime..", SERVER + ".account..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.emrvke.api.ErrorCode")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.emrvke.api.ApiException")
            .because("the engine, the steps, the catalog and the store throw domain exceptions; api.DomainErrors maps them");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(SERVER);
    }

    @Test
    void packagesUnderTheServerFormNoCycle() {
        NO_PACKAGE_CYCLES.check(main);
    }

    @Test
    void domainPackagesDependOnNeitherTheGatewayNorTheApiLayer() {
        DOMAIN_KNOWS_NO_GATEWAY_OR_API.check(main);
    }

    @Test
    void theGatewayDependsOnNoHandlerOrDomainPackage() {
        GATEWAY_KNOWS_NO_HANDLER_OR_DOMAIN.check(main);
    }

    @Test
    void engineStepsCatalogAndStoreThrowNoWireErrorCodes() {
        BELOW_THE_API_NO_WIRE_ERRORS.check(main);
    }

    @Test
    void theRulesRefuseKnownBreaches() {
        JavaClasses breaches = new ClassFileImporter().importClasses(OperationCodeThatReadsRequestParams.class,
                EngineCodeThatThrowsAnApiError.class, First.class, Second.class);
        assertThatThrownBy(() -> DOMAIN_KNOWS_NO_GATEWAY_OR_API.check(breaches)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("OperationCodeThatReadsRequestParams").hasMessageContaining("gateway.Params");
        assertThatThrownBy(() -> BELOW_THE_API_NO_WIRE_ERRORS.check(breaches)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("EngineCodeThatThrowsAnApiError");
        assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(breaches)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("cyclefixture");
    }
}

package io.emrvke.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.InvalidConfigValueException;
import io.emrvke.server.catalog.RefusedValueException;
import io.emrvke.server.catalog.UnknownReleaseException;
import io.emrvke.server.catalog.UnsupportedActionException;
import io.emrvke.server.operation.OperationEndedException;
import io.emrvke.server.operation.OperationNotFoundException;
import io.emrvke.server.operation.engine.ClientTokenReusedException;
import io.emrvke.server.operation.engine.ConflictingOperationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainExceptionsAnswerTheirDocumentedCodesTest {

    @Test
    void eachDomainExceptionBecomesItsCodeWithTheDomainsMessage() {
        Map<RuntimeException, ErrorCode> expected = Map.of(
                new OperationNotFoundException("op-x"), ErrorCode.NOT_FOUND_OPERATION,
                new OperationEndedException("Operation op-1 already ended"), ErrorCode.OPERATION_STATE_DENIED,
                new ConflictingOperationException("Operation op-2 is still running"), ErrorCode.CONFLICTING_OPERATION,
                new ClientTokenReusedException("ClientToken 't' was already used"),
                ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH,
                new InvalidConfigValueException("ConfigItemValue of ray.conf worker_replicas"),
                ErrorCode.INVALID_PARAMETER,
                new RefusedValueException("Applications.1.ApplicationName 'Flink' is not an application of EMR-VKE-1.8.0"),
                ErrorCode.INVALID_PARAMETER,
                new UnknownReleaseException("ReleaseVersion 'EMR-VKE-1.2.0' is not a release version of this server"),
                ErrorCode.NOT_FOUND_RELEASE_VERSION,
                new UnsupportedActionException("ActionName 'stop' is not supported by component Probe"),
                ErrorCode.UNSUPPORTED_ACTION);
        expected.forEach((domain, code) -> {
            RuntimeException answered = DomainErrors.toApi(domain);
            assertThat(answered).isInstanceOf(ApiException.class).hasMessage(domain.getMessage());
            assertThat(((ApiException) answered).error()).isEqualTo(code);
        });
    }

    @Test
    void aDomainExceptionWrappedByATransactionIsFoundInTheCauseChain() {
        RuntimeException wrapped = new IllegalStateException("transaction failed",
                new ConflictingOperationException("Operation op-3 is still running"));
        RuntimeException answered = DomainErrors.toApi(wrapped);
        assertThat(answered).isInstanceOf(ApiException.class).hasMessageContaining("op-3");
        assertThat(((ApiException) answered).error()).isEqualTo(ErrorCode.CONFLICTING_OPERATION);
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        RuntimeException internal = new IllegalStateException("disk full");
        ApiException refused = ErrorCode.MISSING_PARAMETER.exception("The request is missing ClusterId.");
        assertThat(DomainErrors.toApi(internal)).isSameAs(internal);
        assertThat(DomainErrors.toApi(refused)).isSameAs(refused);
    }
}

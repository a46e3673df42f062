package io.emrvke.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationWithProgress;
import io.emrvke.server.operation.Progress;
import io.emrvke.server.operation.StepRow;
import java.util.List;

/**
 * The wire operation: GetOperation's Result (with {@code Steps}) and ListOperations' items
 * (without: the key is left out, not null).
 */
public record OperationView(String clusterId, String operationId, String productName, String operationName,
                            String operationType, String operationState, String stateChangeReason, Long accountId,
                            Long userId, Long createTime, Long updateTime, Long startTime, Long endTime,
                            String content, String operator, String remark, Progress progress,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<Step> steps) {

    public static final String PRODUCT_NAME = "E-MapReduce-VKE";
    public static final String OPERATION_TYPE = "PRODUCT";

    /** One step on the wire. */
    public record Step(String stepId, String applicationName, String componentName, String releaseName,
                       String action, String stepState, Long startTime, Long endTime, String message) {
        static Step of(StepRow s) {
            return new Step(s.stepId(), s.applicationName(), s.componentName(), s.releaseName(), s.action(),
                    s.state().wireName(), s.startTime(), s.endTime(), s.message());
        }
    }

    public static OperationView withSteps(OperationDetail d) {
        return of(d.operation(), d.progress(), d.steps().stream().map(Step::of).toList());
    }

    public static OperationView withoutSteps(OperationWithProgress o) {
        return of(o.operation(), o.progress(), null);
    }

    private static OperationView of(OperationRow o, Progress progress, List<Step> steps) {
        return new OperationView(o.clusterId(), o.operationId(), PRODUCT_NAME, o.operationName().wireName(),
                OPERATION_TYPE, o.state().wireName(), o.stateChangeReason(), o.accountId(), o.userId(),
                o.createTime(), o.updateTime(), o.startTime(), o.endTime(), o.content(), o.operator(), o.remark(),
                progress, steps);
    }
}

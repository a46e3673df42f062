package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a service submits: who asks, on which cluster, what the operation holds, its planned steps
 * in order, how to run them, and the request's ClientToken if any. {@code content} is the request
 * as JSON text with secrets already masked by the caller; {@code params} is the planner's JSON
 * (read back by step executors through {@link StepContext#params()}); {@code secretValues} are
 * what the steps need but no operation column may hold (read through
 * {@link StepContext#secretValue(String)}).
 */
public record OperationPlan(long accountId, long userId, String operator, String clusterId, OperationName name,
                            String content, String remark, String params, Targets targets,
                            List<PlannedStep> steps, ExecutionOptions options, ClientToken clientToken,
                            SecretValues secretValues) {

    public OperationPlan {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(targets, "targets");
        steps = List.copyOf(steps);
        options = options == null ? ExecutionOptions.defaults() : options;
        secretValues = secretValues == null ? SecretValues.NONE : secretValues;
    }

    public static Builder builder(long accountId, long userId, String clusterId, OperationName name) {
        return new Builder(accountId, userId, clusterId, name);
    }

    /** Builds a plan; targets default to the whole cluster, options to {@link ExecutionOptions#defaults()}. */
    public static final class Builder {
        private final long accountId;
        private final long userId;
        private final String clusterId;
        private final OperationName name;
        private String operator;
        private String content;
        private String remark;
        private String params;
        private Targets targets = Targets.wholeCluster();
        private final List<PlannedStep> steps = new ArrayList<>();
        private ExecutionOptions options = ExecutionOptions.defaults();
        private ClientToken clientToken;
        private SecretValues secretValues = SecretValues.NONE;

        private Builder(long accountId, long userId, String clusterId, OperationName name) {
            this.accountId = accountId;
            this.userId = userId;
            this.clusterId = clusterId;
            this.name = name;
        }

        public Builder operator(String operator) {
            this.operator = operator;
            return this;
        }

        public Builder content(String content) {
            this.content = content;
            return this;
        }

        public Builder remark(String remark) {
            this.remark = remark;
            return this;
        }

        public Builder params(String params) {
            this.params = params;
            return this;
        }

        public Builder targets(Targets targets) {
            this.targets = targets;
            return this;
        }

        public Builder step(PlannedStep step) {
            steps.add(step);
            return this;
        }

        public Builder steps(List<PlannedStep> more) {
            steps.addAll(more);
            return this;
        }

        public Builder options(ExecutionOptions options) {
            this.options = options;
            return this;
        }

        public Builder clientToken(ClientToken clientToken) {
            this.clientToken = clientToken;
            return this;
        }

        public Builder secretValues(SecretValues secretValues) {
            this.secretValues = secretValues;
            return this;
        }

        public OperationPlan build() {
            return new OperationPlan(accountId, userId, operator, clusterId, name, content, remark, params, targets,
                    steps, options, clientToken, secretValues);
        }
    }
}

{{/*
What an operator may do in the namespace it watches (the virtual cluster's own): a ServiceAccount, a Role and
a RoleBinding, all named after the release, so two virtual clusters never share one and deleting one leaves
the others' intact. The pod runs as the ServiceAccount when the chart sets .Values.serviceAccountName to the
release name. Argument: dict with
  root   the chart context ($)
  rules  the Role's policy rules (a list)
*/}}
{{- define "emr-common.namespacedRbac" -}}
{{- $root := .root -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "emr-common.rbacMetadata" $root | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  {{- include "emr-common.rbacMetadata" $root | nindent 2 }}
rules:
  {{- toYaml .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  {{- include "emr-common.rbacMetadata" $root | nindent 2 }}
subjects:
  - kind: ServiceAccount
    name: {{ $root.Release.Name }}
    namespace: {{ $root.Release.Namespace }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $root.Release.Name }}
{{- end }}

{{- define "emr-common.rbacMetadata" -}}
name: {{ .Release.Name }}
namespace: {{ .Release.Namespace }}
labels:
  {{- include "emr-common.labels" . | nindent 2 }}
{{- end }}

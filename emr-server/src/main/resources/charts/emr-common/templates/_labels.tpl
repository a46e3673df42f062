{{/* Labels every object and pod template carries (DESIGN.md Domain). */}}
{{- define "emr-common.labels" -}}
app.kubernetes.io/managed-by: emr-vke
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/name: {{ .Values.emr.component | default .Chart.Name | quote }}
emr-vke.io/cluster-id: {{ .Values.emr.clusterId | quote }}
emr-vke.io/application: {{ .Values.emr.application | quote }}
{{- end }}

{{/* Selector labels: stable for the life of a release (selectors are immutable). */}}
{{- define "emr-common.selectorLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/name: {{ .Values.emr.component | default .Chart.Name | quote }}
{{- end }}

{{/* sha256 of everything config-like the pods consume: files, secret data and env. */}}
{{- define "emr-common.checksum" -}}
{{- dict "files" .Values.emr.configFiles "secret" .Values.emr.secretData "env" .Values.emr.env "secretEnv" .Values.emr.secretEnv | toJson | sha256sum -}}
{{- end }}

{{- define "emr-common.metadata" -}}
name: {{ .Release.Name }}
namespace: {{ .Release.Namespace }}
labels:
  {{- include "emr-common.labels" . | nindent 2 }}
annotations:
  emr-vke.io/config-checksum: {{ include "emr-common.checksum" . | quote }}
{{- end }}

{{- define "emr-common.hasSecret" -}}
{{- if or .Values.emr.secretData .Values.emr.secretEnv }}true{{ end -}}
{{- end }}

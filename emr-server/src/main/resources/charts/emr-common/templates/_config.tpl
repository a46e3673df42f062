{{/* ConfigMap <release>-config: one key per non-env config file, content already in its own format. */}}
{{- define "emr-common.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "emr-common.labels" . | nindent 4 }}
  annotations:
    emr-vke.io/config-checksum: {{ include "emr-common.checksum" . | quote }}
data:
  {{- range $name, $content := .Values.emr.configFiles }}
  {{ $name | quote }}: {{ $content | toJson }}
  {{- end }}
{{- end }}

{{/* Secret <release>-secret: secret config items (file items by key, env items by variable name). */}}
{{- define "emr-common.secret" -}}
{{- if include "emr-common.hasSecret" . }}
---
apiVersion: v1
kind: Secret
type: Opaque
metadata:
  name: {{ .Release.Name }}-secret
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "emr-common.labels" . | nindent 4 }}
  annotations:
    emr-vke.io/config-checksum: {{ include "emr-common.checksum" . | quote }}
data:
  {{- range $key, $value := .Values.emr.secretData }}
  {{ $key | quote }}: {{ $value | toString | b64enc | quote }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
Container env: what the chart's image needs (containerEnv), plain __envs__ items, then secret ones through
secretKeyRef.
*/}}
{{- define "emr-common.env" -}}
{{- $release := .Release.Name -}}
{{- range .Values.containerEnv }}
- name: {{ .name | quote }}
  value: {{ .value | toString | toJson }}
{{- end }}
{{- range .Values.emr.env }}
- name: {{ .name | quote }}
  value: {{ .value | toString | toJson }}
{{- end }}
{{- range .Values.emr.secretEnv }}
- name: {{ .name | quote }}
  valueFrom:
    secretKeyRef:
      name: {{ $release }}-secret
      key: {{ .key | quote }}
{{- end }}
{{- end }}

{{- define "emr-common.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "emr-common.metadata" . | nindent 2 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      {{- include "emr-common.selectorLabels" . | nindent 6 }}
  template:
    {{- include "emr-common.defaultPodTemplate" . | nindent 4 }}
{{- end }}

{{- define "emr-common.statefulset" -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "emr-common.metadata" . | nindent 2 }}
spec:
  replicas: {{ .Values.replicas }}
  serviceName: {{ .Release.Name }}
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      {{- include "emr-common.selectorLabels" . | nindent 6 }}
  template:
    {{- include "emr-common.defaultPodTemplate" . | nindent 4 }}
{{- end }}

{{/* Service; headless for StatefulSets (stable pod DNS). */}}
{{- define "emr-common.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "emr-common.labels" . | nindent 4 }}
spec:
  {{- if .Values.headless }}
  clusterIP: None
  {{- end }}
  selector:
    {{- include "emr-common.selectorLabels" . | nindent 4 }}
  ports:
    {{- range .Values.ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
    {{- end }}
{{- end }}

{{/* Everything a Deployment component renders. */}}
{{- define "emr-common.deploymentRelease" -}}
{{ include "emr-common.deployment" . }}
---
{{ include "emr-common.service" . }}
---
{{ include "emr-common.configmap" . }}
{{ include "emr-common.secret" . }}
{{- end }}

{{/* Everything a StatefulSet component renders. */}}
{{- define "emr-common.statefulsetRelease" -}}
{{ include "emr-common.statefulset" . }}
---
{{ include "emr-common.service" . }}
---
{{ include "emr-common.configmap" . }}
{{ include "emr-common.secret" . }}
{{- end }}

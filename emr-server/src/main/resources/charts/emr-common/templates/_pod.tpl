{{/*
Pod template. Argument: dict with
  root       the chart context ($)
  container  container name
  resources  resources block (may be empty)
  ports      list of {name, port}
  args       container args (may be empty)
  extraLabels labels to add to the pod (may be empty)
*/}}
{{- define "emr-common.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "emr-common.labels" $root | nindent 4 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    emr-vke.io/config-checksum: {{ include "emr-common.checksum" $root | quote }}
spec:
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .container }}
      image: {{ $root.Values.image | quote }}
      imagePullPolicy: {{ $root.Values.imagePullPolicy | default "IfNotPresent" }}
      {{- with .args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .ports }}
      ports:
        {{- range . }}
        - name: {{ .name }}
          containerPort: {{ .port }}
        {{- end }}
      {{- end }}
      {{- $env := include "emr-common.env" $root }}
      {{- if $env }}
      env:
        {{- $env | nindent 8 }}
      {{- end }}
      {{- with .resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: config
          mountPath: {{ $root.Values.configMountPath | default "/etc/emr-vke/conf" }}
        {{- if include "emr-common.hasSecret" $root }}
        - name: secret
          mountPath: {{ $root.Values.secretMountPath | default "/etc/emr-vke/secret" }}
          readOnly: true
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ $root.Release.Name }}-config
    {{- if include "emr-common.hasSecret" $root }}
    - name: secret
      secret:
        secretName: {{ $root.Release.Name }}-secret
    {{- end }}
{{- end }}

{{- define "emr-common.defaultPodTemplate" -}}
{{- include "emr-common.podTemplate" (dict "root" . "container" .Chart.Name "resources" .Values.resources "ports" .Values.ports "args" .Values.args) }}
{{- end }}

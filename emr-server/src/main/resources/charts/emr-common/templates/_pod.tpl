{{/*
Pod template. Argument: dict with
  root       the chart context ($)
  container  container name
  resources  resources block (may be empty)
  ports      list of {name, port}
  command    container command (may be empty: the image's entrypoint)
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
  {{- with $root.Values.serviceAccountName }}
  serviceAccountName: {{ . }}
  {{- end }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .container }}
      image: {{ $root.Values.image | quote }}
      imagePullPolicy: {{ $root.Values.imagePullPolicy | default "IfNotPresent" }}
      {{- with .command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
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

{{/*
Container resources: `base` (a resources block, may be empty) with `cpu` and `memory` set as both request
and limit when given. These carry the catalog's flat items (cpu_requirements, head_memory, ...), which win
over the same field in `base`. Empty or unset: left as in `base`.
*/}}
{{- define "emr-common.resources" -}}
{{- $res := deepCopy (.base | default dict) -}}
{{- range $name, $value := dict "cpu" .cpu "memory" .memory -}}
{{- if not (empty $value) -}}
{{- $requests := get $res "requests" | default dict -}}
{{- $limits := get $res "limits" | default dict -}}
{{- $_ := set $requests $name (toString $value) -}}
{{- $_ := set $limits $name (toString $value) -}}
{{- $_ := set $res "requests" $requests -}}
{{- $_ := set $res "limits" $limits -}}
{{- end -}}
{{- end -}}
{{- toYaml $res -}}
{{- end }}

{{/* Deployment/StatefulSet pod: `resources` overlaid with the catalog items cpu_requirements / memory_requirements. */}}
{{- define "emr-common.defaultPodTemplate" -}}
{{- $resources := include "emr-common.resources" (dict "base" .Values.resources "cpu" .Values.cpu_requirements "memory" .Values.memory_requirements) | fromYaml -}}
{{- include "emr-common.podTemplate" (dict "root" . "container" .Chart.Name "resources" $resources "ports" .Values.ports
      "command" .Values.command "args" .Values.args) }}
{{- end }}

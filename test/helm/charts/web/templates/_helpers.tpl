{{/* The full name: release and chart. */}}
{{- define "web.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "web.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Node-local scratch space: a hostPath volume. */}}
{{- define "web.scratchVolume" -}}
- name: scratch
  hostPath:
    path: /var/scratch
{{- end }}

{{- define "base.scratch" -}}
- name: scratch
  hostPath:
    path: /var/lib/{{ .name }}
{{- end -}}

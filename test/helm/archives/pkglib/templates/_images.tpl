{{/* The image reference of an image block: registry/repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "pkglib.image" -}}
{{- $registry := .image.registry | default "docker.io" -}}
{{- printf "%s/%s:%s" $registry .image.repository (.image.tag | default .chart.AppVersion | toString) -}}
{{- end -}}

[
  {
    "name": "api",
    "image": "${image}",
    "memory": ${memory},
    "environment": [
%{ for k, v in env ~}
      { "name": "${k}", "value": "${v}" }%{ if k != "TEAM" },%{ endif }
%{ endfor ~}
    ]
  }
]

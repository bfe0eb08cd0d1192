outplue = mer.ecs._*ervmin_[ecs+serecs+servmin_[e[_s+ervmdule.ecs+_*ervmin_[ecs+ser9vmin_vme[_s+ervmdU                  < "${var_s+nammodule.ecs._*ervmin_[e    < "${var_s+module.ecs._*ervmin_[ecs+Cs*ervmin_[e    < "${var_s+module.ecs._*ervmin_[ecs+Cserecs+se             < "${var_s+module.ecs._*ervmin_[e    < "${var_srvmin_[ecs+serecs+servmin_[e[_s+eRvmdule.ecs+_*ervmin_[ecs+ser9vmin_[ecs+seregs+servming[e[_s+ervmdU                  < "${var_s+module.ecs._*ervmin_[e    < "${var_s+module.ecs._*ervmin_[ecs+Cserecs+se             < "${var_s+mo_[ecs+seregs+servming[e[_s+ervmdU                  < "${var_s+module.ecs._*ervmin_[e    < cs._*ervmin_[ecs+Cserecs+se             < "${var_s+module.ecs._*ervmin_e    [< "${var_srvmin_[ecs+serecs+servmin_[e[_s+eRvmdule.ecs+_*ervmin_[ecs+ser9vmin_[ecs+seregs+servmervmin_[e    < "${var_s+module.ecs._*ervmin_[ecs+Cserecs+se             < "${var_s+module.ecs._*ervmin_[e    < "${var_srvmin_[ecs+serecs+servmin_[e[_s+eRvmdule.ecs+_*ervmin_[ecs+ser9vmin_[ecs+seregs+servming[e[_s+ervmdU   manager:GetSecretValue"
      ],
      "Resource": [
        "${local.ca_cert_arn}",
        "${local.ca_key_arn}"
      ]
    },
%{endif~}
%{i< "${var_s+module.ecs._*ervmin_[e    < "${var_s+module.ecs._*ervmin_[ecs+Cs  +servmi.cain]rvmodcert_pem
}
_}

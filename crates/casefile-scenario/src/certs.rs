//! The cluster's certificate inventory (names, CN patterns and lifetimes per incident.md §2).

use anyhow::Result;

use crate::pki::{Cert, Kind, Pki, Spec};
use crate::plan::{Plan, Story};
use crate::t::{self, DAY, HOUR, MIN, SEC, T};

const YEAR: i64 = 365 * DAY;

/// All certificates of one case.
pub struct Certs {
    /// Installer api-int/api signer `OU=openshift, CN=kube-apiserver-lb-signer`.
    pub lb_old: Cert,
    /// Operator-minted replacement `openshift-kube-apiserver-operator_loadbalancer-serving-signer@<unix>`.
    pub lb_new: Option<Cert>,
    /// `kube-apiserver-localhost-signer`.
    pub localhost: Cert,
    /// `kube-apiserver-service-network-signer`.
    pub service_network: Cert,
    /// `…_localhost-recovery-serving-signer@…`.
    pub recovery: Cert,
    /// `admin-kubeconfig-signer`.
    pub admin_kubeconfig: Cert,
    /// `root-ca` (kube-system/root-ca, `/etc/kubernetes/ca.crt`).
    pub root_ca: Cert,
    /// kube-apiserver-to-kubelet signers, current first.
    pub kas_to_kubelet: Vec<Cert>,
    /// kube-control-plane signers, current first.
    pub control_plane: Vec<Cert>,
    /// aggregator client signer.
    pub aggregator: Cert,
    /// csr signer's signer (`…csr-signer-signer@…`, or the day-1 `kubelet-signer`).
    pub csr_signer_signer: Cert,
    /// `kube-csr-signer_@…`.
    pub csr_signer: Cert,
    /// node-system-admin signer.
    pub node_system_admin: Cert,
    /// service CA.
    pub service_ca: Cert,
    /// default ingress CA.
    pub ingress_ca: Cert,
    /// stand-ins for public roots in `trusted-ca-bundle`.
    pub roots: Vec<Cert>,
    /// `internal-loadbalancer-serving-certkey` in use at collection.
    pub internal_lb: Cert,
    /// The internal-LB cert that was in use before the switch (api-int rotation only).
    pub internal_lb_prev: Option<Cert>,
    /// `external-loadbalancer-serving-certkey`.
    pub external_lb: Cert,
    /// `localhost-serving-cert-certkey`.
    pub localhost_serving: Cert,
    /// `service-network-serving-certkey`.
    pub service_network_serving: Cert,
    /// `kubelet-client` in use at collection.
    pub kubelet_client: Cert,
    /// `kubelet-client` before the switch (kubelet-client rotation only).
    pub kubelet_client_prev: Option<Cert>,
    /// `aggregator-client`.
    pub aggregator_client: Cert,
    /// CSR-issued certs: (CSR name, requestor node index or None, cert).
    pub csr_issued: Vec<(String, Option<usize>, Cert)>,
}

/// `<ns>_<name>@<unix>`, the library-go signer name.
pub fn op_cn(ns: &str, name: &str, at: T) -> String {
    format!("{ns}_{name}@{}", t::unix(at))
}

/// Latest `start + k*period` not after `now` (k ≥ 0).
fn latest(start: T, period: i64, now: T) -> T {
    if now <= start {
        return start;
    }
    start + ((now - start) / period) * period
}

/// Inputs for building the inventory.
pub struct Inputs<'a> {
    /// Plan.
    pub plan: &'a Plan,
    /// api-int host names.
    pub api_int: &'a str,
    /// api host name.
    pub api: &'a str,
    /// Nodes that get CSR-issued serving certs: (index, fqdn, ip).
    pub csr_nodes: Vec<(usize, String, String)>,
}

/// Build every certificate of the case.
pub fn build(pki: &mut Pki, inp: &Inputs<'_>) -> Result<Certs> {
    let plan = inp.plan;
    let born = plan.born;
    let now = plan.collected;
    let fresh = now - born < 2 * DAY;
    let installer = born - 23 * MIN;
    let ca = |cn: &str,
              ou: Option<&'static str>,
              nb: T,
              life: i64|
     -> (String, Option<&'static str>, T, i64) { (cn.to_string(), ou, nb, life) };
    let mk = |p: &mut Pki, (cn, ou, nb, life): (String, Option<&'static str>, T, i64)| {
        p.self_signed(&Spec {
            cn: &cn,
            ou,
            org: None,
            not_before: nb,
            lifetime: life,
            kind: Kind::Ca,
            hostnames: &[],
        })
    };
    let kas = "openshift-kube-apiserver-operator";

    let lb_old = mk(
        pki,
        ca(
            "kube-apiserver-lb-signer",
            Some("openshift"),
            installer,
            10 * YEAR,
        ),
    )?;
    let lb_new = match &plan.story {
        Story::ApiInt(r) => Some(mk(
            pki,
            ca(
                &op_cn(kas, "loadbalancer-serving-signer", r.rotation),
                None,
                r.rotation - SEC,
                10 * YEAR,
            ),
        )?),
        _ => None,
    };
    let localhost = mk(
        pki,
        ca(
            "kube-apiserver-localhost-signer",
            Some("openshift"),
            installer,
            10 * YEAR,
        ),
    )?;
    let service_network = mk(
        pki,
        ca(
            "kube-apiserver-service-network-signer",
            Some("openshift"),
            installer,
            10 * YEAR,
        ),
    )?;
    let rec_t = born + 6 * MIN + 11 * SEC;
    let recovery = mk(
        pki,
        ca(
            &op_cn(kas, "localhost-recovery-serving-signer", rec_t),
            None,
            rec_t - SEC,
            10 * YEAR,
        ),
    )?;
    let admin_kubeconfig = mk(
        pki,
        ca(
            "admin-kubeconfig-signer",
            Some("openshift"),
            installer,
            10 * YEAR,
        ),
    )?;
    let root_ca = mk(pki, ca("root-ca", Some("openshift"), installer, 10 * YEAR))?;

    // kube-apiserver-to-kubelet-signer: 1 y, refreshed at 292 d.
    let mut kas_to_kubelet = Vec::new();
    match &plan.story {
        Story::KubeletClient(k) => {
            let cn_new = op_cn(kas, "kube-apiserver-to-kubelet-signer", k.rotation);
            kas_to_kubelet.push(mk(pki, ca(&cn_new, None, k.rotation - SEC, YEAR))?);
            let cn_prev = op_cn(kas, "kube-apiserver-to-kubelet-signer", k.prev_signer);
            kas_to_kubelet.push(mk(pki, ca(&cn_prev, None, k.prev_signer - SEC, YEAR))?);
        }
        _ if fresh => {
            kas_to_kubelet.push(mk(
                pki,
                ca(
                    "kube-apiserver-to-kubelet-signer",
                    Some("openshift"),
                    installer,
                    YEAR,
                ),
            )?);
        }
        _ => {
            let cur = latest(born + 9 * MIN, 292 * DAY, now);
            kas_to_kubelet.push(mk(
                pki,
                ca(
                    &op_cn(kas, "kube-apiserver-to-kubelet-signer", cur),
                    None,
                    cur - SEC,
                    YEAR,
                ),
            )?);
            let prev = cur - 292 * DAY;
            if prev > born && prev + YEAR > now {
                kas_to_kubelet.push(mk(
                    pki,
                    ca(
                        &op_cn(kas, "kube-apiserver-to-kubelet-signer", prev),
                        None,
                        prev - SEC,
                        YEAR,
                    ),
                )?);
            }
        }
    }
    // kube-control-plane-signer: 60 d, refreshed at 30 d.
    let mut control_plane = Vec::new();
    if fresh {
        control_plane.push(mk(
            pki,
            ca(
                "kube-control-plane-signer",
                Some("openshift"),
                installer,
                YEAR,
            ),
        )?);
    } else {
        let cur = latest(born + 12 * MIN, 30 * DAY, now);
        control_plane.push(mk(
            pki,
            ca(
                &op_cn(kas, "kube-control-plane-signer", cur),
                None,
                cur - SEC,
                60 * DAY,
            ),
        )?);
        let prev = cur - 30 * DAY;
        control_plane.push(mk(
            pki,
            ca(
                &op_cn(kas, "kube-control-plane-signer", prev),
                None,
                prev - SEC,
                60 * DAY,
            ),
        )?);
    }
    let aggregator = if fresh {
        mk(
            pki,
            ca("aggregator-signer", Some("openshift"), installer, DAY),
        )?
    } else {
        let cur = latest(born + 14 * MIN, 15 * DAY, now);
        mk(
            pki,
            ca(
                &op_cn(kas, "aggregator-client-signer", cur),
                None,
                cur - SEC,
                30 * DAY,
            ),
        )?
    };
    let (csr_signer_signer, csr_signer) = if fresh {
        let ks = mk(pki, ca("kubelet-signer", Some("openshift"), installer, DAY))?;
        let at = born + 8 * MIN + 40 * SEC;
        let cs = pki.signed(
            &Spec {
                cn: &format!("kube-csr-signer_@{}", t::unix(at)),
                ou: None,
                org: None,
                not_before: at - SEC,
                lifetime: ks.not_after - at,
                kind: Kind::Ca,
                hostnames: &[],
            },
            &ks,
        )?;
        (ks, cs)
    } else {
        let kcm = "openshift-kube-controller-manager-operator";
        let ss_t = latest(born + 15 * MIN, 30 * DAY, now);
        let ss = mk(
            pki,
            ca(
                &op_cn(kcm, "csr-signer-signer", ss_t),
                None,
                ss_t - SEC,
                60 * DAY,
            ),
        )?;
        let cs_t = latest(ss_t + 2 * MIN, 15 * DAY, now);
        let cs = pki.signed(
            &Spec {
                cn: &format!("kube-csr-signer_@{}", t::unix(cs_t)),
                ou: None,
                org: None,
                not_before: cs_t - SEC,
                lifetime: 30 * DAY,
                kind: Kind::Ca,
                hostnames: &[],
            },
            &ss,
        )?;
        (ss, cs)
    };
    let nsa_t = latest(born + 10 * MIN, 292 * DAY, now);
    let node_system_admin = mk(
        pki,
        ca(
            &op_cn(kas, "node-system-admin-signer", nsa_t),
            None,
            nsa_t - SEC,
            YEAR,
        ),
    )?;
    let sca_t = latest(born + 7 * MIN, 395 * DAY, now);
    let service_ca = mk(
        pki,
        ca(
            &format!("openshift-service-serving-signer@{}", t::unix(sca_t)),
            None,
            sca_t - SEC,
            790 * DAY,
        ),
    )?;
    let ing_t = latest(born + 19 * MIN, 2 * YEAR - 30 * DAY, now);
    let ingress_ca = mk(
        pki,
        ca(
            &format!("ingress-operator@{}", t::unix(ing_t)),
            None,
            ing_t - SEC,
            2 * YEAR,
        ),
    )?;
    let roots = vec![
        mk(
            pki,
            ca(
                "Synthetic Trust Services Root CA 1",
                Some("Synthetic PKI"),
                t::at("2014-06-01T00:00:00Z"),
                20 * YEAR,
            ),
        )?,
        mk(
            pki,
            ca(
                "Synthetic Trust Services Root CA 2",
                Some("Synthetic PKI"),
                t::at("2016-03-15T00:00:00Z"),
                20 * YEAR,
            ),
        )?,
    ];

    // serving targets: 30 d, refreshed at 15 d.
    let serving = |p: &mut Pki, hosts: &[&str], nb: T, issuer: &Cert| {
        p.signed(
            &Spec {
                cn: hosts[0],
                ou: None,
                org: None,
                not_before: nb - SEC,
                lifetime: 30 * DAY,
                kind: Kind::Serving,
                hostnames: hosts,
            },
            issuer,
        )
    };
    let (internal_lb, internal_lb_prev, external_lb) =
        if let (Story::ApiInt(r), Some(new)) = (&plan.story, &lb_new) {
            let prev = serving(pki, &[inp.api_int], r.prev_target, &lb_old)?;
            let cur = serving(pki, &[inp.api_int], r.switch, new)?;
            let issuer = if r.external_issued >= r.switch {
                new
            } else {
                &lb_old
            };
            let ext = serving(pki, &[inp.api], r.external_issued, issuer)?;
            (cur, Some(prev), ext)
        } else {
            {
                let nb = latest(born + 7 * MIN, 15 * DAY, now);
                let cur = serving(pki, &[inp.api_int], nb, &lb_old)?;
                let ext = serving(
                    pki,
                    &[inp.api],
                    latest(born + 7 * MIN + 3 * HOUR, 15 * DAY, now),
                    &lb_old,
                )?;
                (cur, None, ext)
            }
        };
    let ls_nb = latest(born + 7 * MIN + 20 * SEC, 15 * DAY, now);
    let localhost_serving = serving(pki, &["localhost", "127.0.0.1", "::1"], ls_nb, &localhost)?;
    let sn_nb = latest(born + 7 * MIN + 25 * SEC, 15 * DAY, now);
    let service_network_serving = serving(
        pki,
        &[
            "172.30.0.1",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "openshift",
            "openshift.default",
            "openshift.default.svc",
            "openshift.default.svc.cluster.local",
        ],
        sn_nb,
        &service_network,
    )?;
    let client = |p: &mut Pki, cn: &str, org: Option<&str>, nb: T, life: i64, issuer: &Cert| {
        p.signed(
            &Spec {
                cn,
                ou: None,
                org,
                not_before: nb - SEC,
                lifetime: life,
                kind: Kind::Client,
                hostnames: &[],
            },
            issuer,
        )
    };
    let (kubelet_client, kubelet_client_prev) = if let Story::KubeletClient(k) = &plan.story {
        let prev = client(
            pki,
            "system:kube-apiserver",
            Some("kube-master"),
            k.prev_target,
            30 * DAY,
            &kas_to_kubelet[1],
        )?;
        let cur = client(
            pki,
            "system:kube-apiserver",
            Some("kube-master"),
            k.switch,
            30 * DAY,
            &kas_to_kubelet[0],
        )?;
        (cur, Some(prev))
    } else {
        {
            let nb = latest(
                kas_to_kubelet[0].not_before.max(born + 9 * MIN),
                15 * DAY,
                now,
            );
            let life = if fresh { DAY } else { 30 * DAY };
            (
                client(
                    pki,
                    "system:kube-apiserver",
                    Some("kube-master"),
                    nb,
                    life,
                    &kas_to_kubelet[0],
                )?,
                None,
            )
        }
    };
    let ag_nb = if fresh {
        born + 14 * MIN
    } else {
        latest(aggregator.not_before + 2 * MIN, 15 * DAY, now)
    };
    let aggregator_client = client(
        pki,
        "system:openshift-aggregator",
        None,
        ag_nb,
        if fresh { DAY } else { 30 * DAY },
        &aggregator,
    )?;

    let mut csr_issued = Vec::new();
    for (k, (idx, fqdn, ip)) in inp.csr_nodes.iter().enumerate() {
        let nb = if fresh {
            born + 18 * MIN + (k as i64) * 41 * SEC
        } else {
            now - (3 + 17 * k as i64) * HOUR - 11 * MIN
        };
        let life = if fresh {
            csr_signer.not_after - nb
        } else {
            30 * DAY
        };
        let cn = format!("system:node:{fqdn}");
        let c = pki.signed(
            &Spec {
                cn: &cn,
                ou: None,
                org: Some("system:nodes"),
                not_before: nb - SEC,
                lifetime: life,
                kind: Kind::Serving,
                hostnames: &[fqdn.as_str(), ip.as_str()],
            },
            &csr_signer,
        )?;
        csr_issued.push((String::new(), Some(*idx), c));
    }
    let nb = if fresh {
        born + 21 * MIN
    } else {
        now - 6 * DAY - 5 * HOUR
    };
    let life = if fresh {
        csr_signer.not_after - nb
    } else {
        30 * DAY
    };
    let auth = client(
        pki,
        "system:serviceaccount:openshift-oauth-apiserver:openshift-authenticator",
        None,
        nb,
        life,
        &csr_signer,
    )?;
    csr_issued.push((String::new(), None, auth));

    Ok(Certs {
        lb_old,
        lb_new,
        localhost,
        service_network,
        recovery,
        admin_kubeconfig,
        root_ca,
        kas_to_kubelet,
        control_plane,
        aggregator,
        csr_signer_signer,
        csr_signer,
        node_system_admin,
        service_ca,
        ingress_ca,
        roots,
        internal_lb,
        internal_lb_prev,
        external_lb,
        localhost_serving,
        service_network_serving,
        kubelet_client,
        kubelet_client_prev,
        aggregator_client,
        csr_issued,
    })
}

impl Certs {
    /// The api-int signer in use at collection (new if rotated).
    pub fn lb_current(&self) -> &Cert {
        self.lb_new.as_ref().unwrap_or(&self.lb_old)
    }

    /// `loadbalancer-serving-ca` content: new signer prepended.
    pub fn lb_bundle(&self) -> Vec<&Cert> {
        let mut v = Vec::new();
        if let Some(n) = &self.lb_new {
            v.push(n);
        }
        v.push(&self.lb_old);
        v
    }

    /// `kube-apiserver-server-ca` content; `with_new` selects whether the rotated LB signer is in.
    pub fn server_ca(&self, with_new: bool) -> Vec<&Cert> {
        let mut v = Vec::new();
        if with_new && let Some(n) = &self.lb_new {
            v.push(n);
        }
        v.extend([
            &self.lb_old,
            &self.localhost,
            &self.service_network,
            &self.recovery,
        ]);
        v
    }

    /// Day-1 trust (`initial-kube-apiserver-server-ca`): the three installer signers.
    pub fn initial_server_ca(&self) -> Vec<&Cert> {
        vec![&self.lb_old, &self.localhost, &self.service_network]
    }

    /// `kube-apiserver-client-ca`; `kas_upto` limits which kube-apiserver-to-kubelet signers are in
    /// (1 = only the oldest known, 2 = both).
    pub fn client_ca(&self, with_new_kas: bool) -> Vec<&Cert> {
        let mut v = vec![&self.csr_signer, &self.csr_signer_signer];
        if with_new_kas || self.kas_to_kubelet.len() < 2 {
            v.extend(self.kas_to_kubelet.iter());
        } else {
            v.extend(self.kas_to_kubelet.iter().skip(1));
        }
        v.push(&self.admin_kubeconfig);
        v.extend(self.control_plane.iter());
        v.push(&self.node_system_admin);
        v
    }
}

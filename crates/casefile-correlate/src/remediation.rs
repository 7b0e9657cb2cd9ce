//! Remediation written for one cluster: the manual fix of the api-int CA trust cascade as a
//! script a person can review, the release to move to, and what to watch afterwards.

use std::fmt::Write as _;

/// What the remediation needs to know about the cluster.
#[derive(Debug, Clone, Default)]
pub struct FixContext<'a> {
    /// Nodes to repair (Node names as the API has them), sorted.
    pub nodes: &'a [String],
    /// The ConfigMap holding the current trust bundle, as `namespace/name`.
    pub bundle: &'a str,
    /// The api-int URL, for the verification step.
    pub api_int_url: Option<&'a str>,
    /// The cluster's current version.
    pub version: Option<&'a str>,
    /// Namespaces whose `kube-root-ca.crt` lacks the new CA (e.g. `openshift-multus`).
    pub stale_root_ca_namespaces: &'a [String],
}

/// The first fixed release for the version line, when known.
pub fn fixed_release(version: Option<&str>) -> Option<&'static str> {
    let v = version?;
    if v.starts_with("4.15.") && v.contains("okd") {
        Some("4.15.0-0.okd-2024-03-10-010116 (OKD) or later")
    } else if v.starts_with("4.15.") {
        Some("4.15.10 or later (OCPBUGS-31807; 4.15.2 fixed the rotation trigger, OCPBUGS-30304)")
    } else {
        None
    }
}

/// Builds the remediation steps; the first step is a reviewable shell script.
pub fn api_int_trust_fix(ctx: &FixContext<'_>) -> Vec<String> {
    let (ns, name) = ctx.bundle.split_once('/').unwrap_or((
        "openshift-kube-apiserver-operator",
        "loadbalancer-serving-ca",
    ));
    let mut script = String::new();
    script.push_str("#!/usr/bin/env bash\n");
    script.push_str("# Review before running. Restores api-int trust on nodes whose kubeconfig lacks the rotated CA.\n");
    script.push_str("set -euo pipefail\n");
    let _ = writeln!(
        script,
        "oc get cm -n {ns} {name} -o jsonpath='{{.data.ca-bundle\\.crt}}' > lb-ca-bundle.crt"
    );
    script.push_str(
        "grep -c 'BEGIN CERTIFICATE' lb-ca-bundle.crt   # expect the old and the new CA\n",
    );
    script.push_str("CA_B64=$(base64 -w0 lb-ca-bundle.crt)\n");
    script.push_str("for node in \\\n");
    for (i, n) in ctx.nodes.iter().enumerate() {
        let end = if i + 1 == ctx.nodes.len() { "" } else { " \\" };
        let _ = writeln!(script, "    {n}{end}");
    }
    script.push_str("do\n");
    script.push_str("  # oc debug needs a working pod network on that node; fall back to ssh core@<node> if it hangs.\n");
    script.push_str("  oc debug \"node/${node}\" -- chroot /host /bin/bash -c \\\n");
    script.push_str(
        "    \"cp -a /etc/kubernetes/kubeconfig /etc/kubernetes/kubeconfig.bak-casefile && \\\n",
    );
    script.push_str("     sed -i 's|^\\( *certificate-authority-data:\\).*|\\1 ${CA_B64}|' /etc/kubernetes/kubeconfig && \\\n");
    script.push_str("     systemctl restart kubelet\"\n");
    script.push_str("done\n");
    let namespaces: Vec<&str> = if ctx.stale_root_ca_namespaces.is_empty() {
        vec!["openshift-multus"]
    } else {
        ctx.stale_root_ca_namespaces
            .iter()
            .map(String::as_str)
            .collect()
    };
    for ns in &namespaces {
        let _ = writeln!(
            script,
            "oc patch cm -n {ns} kube-root-ca.crt --type merge -p \"$(jq -n --rawfile ca lb-ca-bundle.crt '{{data: {{\"ca.crt\": $ca}}}}')\""
        );
    }
    script.push_str("oc delete pod -n openshift-multus -l app=multus\n");
    script.push_str("oc get nodes -w   # nodes should return to Ready within a few minutes\n");

    let mut steps = vec![script];
    if let Some(url) = ctx.api_int_url {
        steps.push(format!(
            "Verify each repaired node talks to {url} again: `oc debug node/<node> -- chroot /host journalctl -u kubelet --since -5m | grep -c 'x509: certificate signed by unknown authority'` prints 0 and the node is Ready."
        ));
    }
    match fixed_release(ctx.version) {
        Some(r) => steps.push(format!("Upgrade to {r}; it stops the delete-and-recreate of legacy signer Secrets that re-created the CA.")),
        None => steps.push("Upgrade to a release that carries the fixes for OCPBUGS-30304, OCPBUGS-31807 and OCPBUGS-25821.".to_owned()),
    }
    steps.push(format!(
        "Monitor afterwards: the ConfigMap {ns}/{name} (a new CA appears there before it is used) and each node's /etc/kubernetes/kubeconfig certificate-authority-data."
    ));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_names_every_node_and_the_bundle() {
        let nodes = vec!["a.example".to_owned(), "b.example".to_owned()];
        let ns = vec!["openshift-multus".to_owned()];
        let steps = api_int_trust_fix(&FixContext {
            nodes: &nodes,
            bundle: "openshift-kube-apiserver-operator/loadbalancer-serving-ca",
            api_int_url: Some("https://api-int.c.example:6443"),
            version: Some("4.15.0-0.okd-2024-01-27-070424"),
            stale_root_ca_namespaces: &ns,
        });
        let script = &steps[0];
        assert!(script.contains("    a.example \\\n    b.example\n"));
        assert!(
            script
                .contains("oc get cm -n openshift-kube-apiserver-operator loadbalancer-serving-ca")
        );
        assert!(script.contains("oc patch cm -n openshift-multus kube-root-ca.crt"));
        assert!(
            steps
                .iter()
                .any(|s| s.contains("4.15.0-0.okd-2024-03-10-010116"))
        );
        assert!(
            steps
                .iter()
                .any(|s| s.contains("https://api-int.c.example:6443"))
        );
    }

    #[test]
    fn fixed_release_by_line() {
        assert_eq!(fixed_release(Some("4.14.3")), None);
        assert!(fixed_release(Some("4.15.3")).is_some_and(|r| r.starts_with("4.15.10")));
        assert!(
            fixed_release(Some("4.15.0-0.okd-2024-01-27-070424"))
                .is_some_and(|r| r.contains("okd"))
        );
        assert_eq!(fixed_release(None), None);
    }
}

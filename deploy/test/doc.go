// Package deploytest holds the offline checks of the Helm chart (charts/sneller) and the EKS
// Terraform (terraform/): it lints and renders the chart with the Helm SDK, decodes every
// rendered object strictly into k8s.io/api types, asserts the runtime contract of snellerd and
// sdb, and parses the Terraform with hcl/v2 to check references, formatting, pins and IAM.
package deploytest

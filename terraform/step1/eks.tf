module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = local.cluster_name
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  endpoint_public_access = true
  # The identity running Terraform administers the cluster (steps 2 and 3 use it through
  # `aws eks get-token`).
  enable_cluster_creator_admin_permissions = true
  # IAM roles for service accounts: the OIDC provider step 2 binds the sdb and snellerd roles to.
  enable_irsa = true

  addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      before_compute = true
    }
  }

  eks_managed_node_groups = {
    primary = {
      name           = "primary"
      ami_type       = "AL2023_x86_64_STANDARD"
      instance_types = [var.instance_type]
      capacity_type  = "ON_DEMAND"

      min_size     = 1
      max_size     = 10
      desired_size = 3
    }
  }
}

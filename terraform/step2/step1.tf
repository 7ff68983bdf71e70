# Step 1's outputs, read from its local state.
data "terraform_remote_state" "step1" {
  backend = "local"

  config = {
    path = "${path.module}/../step1/terraform.tfstate"
  }
}

locals {
  region       = data.terraform_remote_state.step1.outputs.region
  prefix       = data.terraform_remote_state.step1.outputs.prefix
  cluster_name = data.terraform_remote_state.step1.outputs.cluster_name
  provider_arn = data.terraform_remote_state.step1.outputs.provider_arn
}

data "aws_eks_cluster" "this" {
  name = local.cluster_name
}

terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  # Step 3 extends step 2's deployment in place: it works on step 2's state, and its
  # configuration is step 2's plus the ingress (same module addresses).
  backend "local" {
    path = "../step2/terraform.tfstate"
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}

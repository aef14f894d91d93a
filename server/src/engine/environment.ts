// What the workspace's templates cannot show but changes a rule's outcome: traits of the EKS cluster the
// manifests go to and account-level settings. Declared in `.kbhints.yaml` (`environment:`), or detected from
// the workspace (an Auto Mode cluster, a registry scanning configuration); unknown when neither says.
// A rule that depends on an unknown trait says what it assumed.
export interface Environment {
  eks?: {
    /** The AWS Load Balancer Controller (v2.5+, service webhook on) is installed. */
    loadBalancerController?: boolean;
    /** The cluster runs EKS Auto Mode. */
    autoMode?: boolean;
    /** Namespaces whose pods run on Fargate (Fargate profiles). */
    fargateNamespaces?: readonly string[];
  };
  ecr?: {
    /** Images are scanned by registry-level scanning (`AWS::ECR::RegistryScanningConfiguration` or Inspector). */
    registryScanning?: boolean;
  };
}

export const UNKNOWN_ENVIRONMENT: Environment = {};

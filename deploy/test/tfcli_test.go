package deploytest

import (
	"os"
	"os/exec"
	"testing"
)

// TestTerraformFmtCLI runs `terraform fmt -check` (or `tofu fmt -check`) when either binary is
// installed: the formatter itself, in addition to the hclwrite check that always runs.
func TestTerraformFmtCLI(t *testing.T) {
	var bin string
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("neither terraform nor tofu is installed; the hclwrite check covers formatting")
	}
	cmd := exec.Command(bin, "fmt", "-check", "-recursive", "-diff", tfRoot(t))
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s fmt -check: %v\n%s", bin, err, out)
	}
}

//go:build desktop

package desktoptest

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScreen_CompositingOnlyWhatChangedPaintsWhatAFullRedrawPaints: the app
// asks WebKitGTK to composite only the part of the window that changed
// (composeOnlyDamage, main package), a feature WebKit still ranks
// "testable". The same document and keys (moves, an edit, typing, Enter,
// an insert, a scroll), once with it and once without it, must end on the
// same pixels: a part it failed to redraw would show the old picture.
func TestScreen_CompositingOnlyWhatChangedPaintsWhatAFullRedrawPaints(t *testing.T) {
	const id = "screendoc0000001"
	x := startXvfb(t)
	shot := map[string]string{}
	for _, damage := range []string{"1", "0"} {
		home := t.TempDir()
		libraryOf(t, filepath.Join(home, "data", "documents"), id, novel(id, 400))
		a := startApp(t, x, home, "FRAGMENTEDITOR_WEBKIT_DAMAGE="+damage)
		a.ready()
		r, err := watchRepaints(x.display, a.window)
		if err != nil {
			t.Fatal(err)
		}
		still := func(what string) {
			if err := r.waitStill(time.Second, 30*time.Second); err != nil {
				t.Fatalf("damage=%s, %s: %v", damage, what, err)
			}
		}
		still("after opening")
		// Each step in explore mode once the last one is on screen: where the
		// list scrolls to depends on whether the last scroll had ended. (In
		// edit mode the caret blinks: the window never stays still.)
		a.keys("Right", "Right", "Right", "Down")
		still("moving")
		a.keys("space")
		a.typeText(" An edit")
		a.keys("Return")
		still("an edit")
		a.keys("Right", "i")
		a.typeText(" Inserted.")
		a.keys("Return")
		still("an insert")
		a.keys("Next")
		still("Page Down")
		a.keys("Right", "Right", "Down")
		still("the last moves")
		shot[damage] = a.screenshot("damage-" + damage + ".png")
		r.close()
		a.kill()
	}
	diff := filepath.Join(*artifacts, "damage-diff.png")
	// Pixels that differ by more than 20%: the edges of glyphs painted by
	// different threads differed by up to 5% between runs, while a part
	// left unredrawn shows other text or the paper (text on paper differs
	// by about 85%). compare prints the count on stderr and exits 1 when
	// there are any, so its output, not its status, is the verdict.
	out, _ := exec.Command("compare", "-fuzz", "20%", "-metric", "AE", shot["1"], shot["0"], diff).CombinedOutput()
	n, err := strconv.ParseFloat(strings.Fields(string(out) + " ?")[0], 64)
	if err != nil {
		t.Fatalf("compare: %q", out)
	}
	if n != 0 {
		t.Errorf("%v pixels differ between compositing only what changed and redrawing everything (artifacts: damage-1.png, damage-0.png, damage-diff.png)", n)
	}
}

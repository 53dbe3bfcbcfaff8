// epubcheck_batch.java - EPUBCheck on many EPUBs in one JVM (tests/lib.sh).
//
//   java -cp /usr/share/java/epubcheck.jar tests/epubcheck_batch.java DIR...
//
// Each DIR holds one EPUB (the only *.epub in it); the run of EPUBCheck's
// own command line on it, as `epubcheck FILE` would run it, leaves its
// messages in DIR/out and its exit status in DIR/rc.  One JVM for a suite's
// EPUBs instead of one each: starting the JVM and compiling EPUBCheck's
// schemas cost more than checking a small EPUB.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

class EpubCheckBatch {
  public static void main(String[] args) throws IOException {
    PrintStream stdout = System.out, stderr = System.err;
    for (String dir : args) {
      File[] epubs = new File(dir).listFiles((d, name) -> name.endsWith(".epub"));
      ByteArrayOutputStream messages = new ByteArrayOutputStream();
      PrintStream to = new PrintStream(messages, true, StandardCharsets.UTF_8);
      int status;
      System.setOut(to);
      System.setErr(to);
      try {
        if (epubs == null || epubs.length != 1) {
          to.println("FATAL: " + dir + " does not hold exactly one EPUB");
          status = 2;
        } else {
          status = new EpubChecker().run(new String[] {epubs[0].getPath()});
        }
      } catch (Throwable t) { // a crash of the checker fails that EPUB only
        t.printStackTrace(to);
        status = 3;
      } finally {
        System.setOut(stdout);
        System.setErr(stderr);
      }
      Files.write(new File(dir, "out").toPath(), messages.toByteArray());
      Files.write(new File(dir, "rc").toPath(),
                  (status + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}

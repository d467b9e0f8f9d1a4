import ai.onnxruntime.*;
import java.nio.FloatBuffer;
import java.util.*;
public class Prof {
  public static void main(String[] a) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(2); o.setInterOpNumThreads(1);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (a.length > 3) o.enableProfiling(a[3]);
    int batch = Integer.parseInt(a[1]); int runs = Integer.parseInt(a[2]);
    try (OrtSession s = env.createSession(a[0], o)) {
      float[] px = new float[batch*3*240*240]; Random r = new Random(1); for (int i=0;i<px.length;i++) px[i]=(float)r.nextGaussian();
      String in = s.getInputNames().iterator().next();
      for (int i=0;i<runs;i++) {
        long t=System.nanoTime();
        try (OnnxTensor t0 = OnnxTensor.createTensor(env, FloatBuffer.wrap(px), new long[]{batch,3,240,240}); OrtSession.Result res = s.run(Map.of(in,t0))) {}
        System.out.printf("run %d: %.1f ms%n", i, (System.nanoTime()-t)/1e6);
      }
      if (a.length > 3) System.out.println(s.endProfiling());
    }
  }
}

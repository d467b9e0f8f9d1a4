import ai.onnxruntime.*;
import java.nio.FloatBuffer;
import java.util.*;
public class Mm {
  public static void main(String[] a) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int M=1800,K=896; float[] x=new float[M*K]; Random r=new Random(2); for(int i=0;i<x.length;i++) x[i]=(float)r.nextGaussian();
    float[] ref=null;
    for (String f : a) {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions(); o.setIntraOpNumThreads(2);
      try (OrtSession s = env.createSession(f, o)) {
        double best=1e9; float[] y=null;
        for (int i=0;i<8;i++) { long t=System.nanoTime();
          try (OnnxTensor t0=OnnxTensor.createTensor(env,FloatBuffer.wrap(x),new long[]{M,K}); OrtSession.Result res=s.run(Map.of("A",t0))) {
            FloatBuffer fb=((OnnxTensor)res.get(0)).getFloatBuffer(); y=new float[fb.remaining()]; fb.get(y);} 
          double ms=(System.nanoTime()-t)/1e6; if(i>1) best=Math.min(best,ms);}
        if (ref==null) ref=y;
        double num=0,den=0; for(int i=0;i<y.length;i++){double d=y[i]-ref[i]; num+=d*d; den+=ref[i]*ref[i];}
        System.out.printf("%-20s best %.1f ms  rel err vs first %.5f%n", f, best, Math.sqrt(num/den));
      } catch (Exception e) { System.out.println(f+": "+e.getMessage()); }
    }
  }
}

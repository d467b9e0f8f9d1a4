import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng=np.random.default_rng(0)
M,K,N=1800,896,3584
W=(rng.standard_normal((K,N))*0.02).astype(np.float32)
def nbits_model(blk, acc):
    nb=K//blk
    Wt=W.T.reshape(N,nb,blk)
    scale=np.abs(Wt).max(axis=2)/127.0
    q=np.clip(np.rint(Wt/scale[:,:,None]),-127,127).astype(np.int32)+128
    Bq=q.astype(np.uint8).reshape(N,nb,blk)
    inits=[numpy_helper.from_array(Bq,"B"),numpy_helper.from_array(scale.astype(np.float32).reshape(-1),"S")]
    node=helper.make_node("MatMulNBits",["A","B","S"],["Y"],domain="com.microsoft",K=K,N=N,bits=8,block_size=blk,accuracy_level=acc)
    g=helper.make_graph([node],"g",[helper.make_tensor_value_info("A",TensorProto.FLOAT,["m",K])],[helper.make_tensor_value_info("Y",TensorProto.FLOAT,["m",N])],inits)
    m=helper.make_model(g,opset_imports=[helper.make_opsetid("",17),helper.make_opsetid("com.microsoft",1)])
    onnx.save(m,f"nbits_{blk}_{acc}.onnx")
for blk in (32,128):
    for acc in (0,4):
        nbits_model(blk,acc)
# fp32 reference
g=helper.make_graph([helper.make_node("MatMul",["A","W"],["Y"])],"g",[helper.make_tensor_value_info("A",TensorProto.FLOAT,["m",K])],[helper.make_tensor_value_info("Y",TensorProto.FLOAT,["m",N])],[numpy_helper.from_array(W,"W")])
onnx.save(helper.make_model(g,opset_imports=[helper.make_opsetid("",17)]),"fp32.onnx")
# per-row int8 as the quantizer does
import sys; sys.path.insert(0,"/work/main/model-runtime/python")
from inctrl_export.quantize import quantize_model
m=onnx.load("fp32.onnx"); q,_=quantize_model(m,per_channel=True,min_weight_elements=0); onnx.save(q,"perrow.onnx")

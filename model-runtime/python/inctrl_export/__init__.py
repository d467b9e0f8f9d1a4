"""Exporter for InCTRL model bundles (see docs/model-bundle.md).

It builds InCTRL in PyTorch with OpenCLIP/InCTRL state-dict names, loads released
checkpoints strictly, exports the batched ONNX graphs the Java runtime runs, and writes
golden vectors for the runtime's parity tests.
"""

__version__ = "0.1.0"
EXPORTER_ID = f"inctrl_export {__version__}"

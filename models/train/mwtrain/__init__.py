"""MuckWatch detector training: a compact anchor-free detector exported in the YOLOv8 ONNX layout."""

"""Line B's rules; no framework imports."""

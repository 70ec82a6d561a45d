# Placeholder until the container issue (#9): the production image is built there.

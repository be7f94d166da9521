"""Code shared by the generator and the Lambdas: standard library only."""

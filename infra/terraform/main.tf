# SKETCH, not a ready-to-apply module: the managed services Ovation needs on AWS (RDS PostgreSQL
# with a read replica, ElastiCache Redis, S3 for uploads and backups). Networking (VPC, subnets),
# the Kubernetes cluster, state backend, IAM for the pods and secret wiring are left out.
# See infra/README.md.

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

# --- variables --------------------------------------------------------------------------

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "name" {
  description = "Prefix of every resource, e.g. ovation-prod."
  type        = string
  default     = "ovation-prod"
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  description = "Subnets (two or more AZs) for the database and Redis."
  type        = list(string)
}

variable "app_security_group_id" {
  description = "Security group of the cluster nodes / pods running cms and workers."
  type        = string
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_read_replicas" {
  type    = number
  default = 1
}

variable "redis_node_type" {
  type    = string
  default = "cache.t4g.small"
}

# --- PostgreSQL (RDS) ---------------------------------------------------------------------

resource "aws_db_subnet_group" "main" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
}

resource "aws_security_group" "db" {
  name   = "${var.name}-db"
  vpc_id = var.vpc_id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [var.app_security_group_id]
  }
}

resource "aws_db_parameter_group" "main" {
  name   = "${var.name}-pg16"
  family = "postgres16"

  # Same intent as infra/postgres/postgresql.conf.
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }
}

resource "aws_db_instance" "main" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = "16"
  instance_class = var.db_instance_class

  db_name  = "ovation"
  username = "ovation"
  # The password lives in Secrets Manager, managed by RDS; DATABASE_URL is built from it.
  manage_master_user_password = true

  allocated_storage     = 50
  max_allocated_storage = 500
  storage_type          = "gp3"
  storage_encrypted     = true

  multi_az                     = true
  db_subnet_group_name         = aws_db_subnet_group.main.name
  vpc_security_group_ids       = [aws_security_group.db.id]
  parameter_group_name         = aws_db_parameter_group.main.name
  backup_retention_period      = 14
  deletion_protection          = true
  performance_insights_enabled = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${var.name}-final"
}

# Read replicas for read-heavy traffic (public event pages, leaderboards).
resource "aws_db_instance" "replica" {
  count               = var.db_read_replicas
  identifier          = "${var.name}-replica-${count.index}"
  replicate_source_db = aws_db_instance.main.identifier
  instance_class      = var.db_instance_class

  vpc_security_group_ids       = [aws_security_group.db.id]
  parameter_group_name         = aws_db_parameter_group.main.name
  storage_encrypted            = true
  performance_insights_enabled = true
  skip_final_snapshot          = true
}

# --- Redis (ElastiCache) ------------------------------------------------------------------

resource "aws_elasticache_subnet_group" "main" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
}

resource "aws_security_group" "redis" {
  name   = "${var.name}-redis"
  vpc_id = var.vpc_id

  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [var.app_security_group_id]
  }
}

resource "aws_elasticache_parameter_group" "main" {
  name   = "${var.name}-redis7"
  family = "redis7"

  # Bee-Queue jobs must never be evicted (see infra/redis/redis.conf).
  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }
}

# Primary + replica across AZs with automatic failover (ElastiCache's answer to Sentinel).
# Durability comes from the replica and Multi-AZ failover; there is no AOF on Redis 7 here.
resource "aws_elasticache_replication_group" "main" {
  replication_group_id       = var.name
  description                = "Ovation queues"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.redis_node_type
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  parameter_group_name       = aws_elasticache_parameter_group.main.name
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.redis.id]
  at_rest_encryption_enabled = true
  # With TLS on, REDIS_URL uses rediss://.
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
}

# --- S3: uploads and backups --------------------------------------------------------------

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.name}-uploads"
}

resource "aws_s3_bucket" "backups" {
  bucket = "${var.name}-backups"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Backups: colder storage after 30 days, gone after a year.
resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    id     = "age-out"
    status = "Enabled"
    filter {}

    transition {
      days          = 30
      storage_class = "GLACIER_IR"
    }
    expiration {
      days = 365
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

# --- outputs ----------------------------------------------------------------------------

output "database_endpoint" {
  value = aws_db_instance.main.endpoint
}

output "database_replica_endpoints" {
  value = aws_db_instance.replica[*].endpoint
}

output "database_master_secret_arn" {
  value = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "redis_primary_endpoint" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "uploads_bucket" {
  value = aws_s3_bucket.uploads.bucket
}

output "backups_bucket" {
  value = aws_s3_bucket.backups.bucket
}
